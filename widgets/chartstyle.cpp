#include "chartstyle.h"

#include "waterfallpainter.h"

#include <qcustomplot.h>

namespace spanscope {

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

ChartStyle ChartStyle::fromPalette(const QPalette &palette, const QFont &font)
{
    const WaterfallColors c = WaterfallColors::fromPalette(palette);
    ChartStyle s;
    s.dark = c.dark;
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.mutedText = c.mutedText;
    s.axis = mix(s.background, s.text, s.dark ? 0.45 : 0.5);
    s.grid = mix(s.background, s.text, s.dark ? 0.16 : 0.12);
    s.subGrid = mix(s.background, s.text, s.dark ? 0.08 : 0.06);
    s.legendBackground = s.background;
    s.legendBackground.setAlpha(225);
    s.error = c.error;
    s.warning = s.dark ? QColor(0xf2, 0xb1, 0x3a) : QColor(0xb3, 0x6b, 0x00);
    s.neutral = s.dark ? QColor(0x7f, 0xa7, 0xd9) : QColor(0x4e, 0x79, 0xa7);
    s.input = s.dark ? QColor(0x6f, 0x9f, 0xe0) : QColor(0x3b, 0x6e, 0xb5);
    s.cached = s.dark ? QColor(0x9c, 0xd6, 0xe4) : QColor(0x8f, 0xc3, 0xd6);
    s.output = s.dark ? QColor(0xf5, 0xa6, 0x5b) : QColor(0xe0, 0x7b, 0x1f);
    s.p50 = s.dark ? QColor(0x7d, 0xd0, 0x8a) : QColor(0x2e, 0x8b, 0x3e);
    s.p90 = s.warning;
    s.p99 = c.error;
    s.font = font;
    return s;
}

QColor ChartStyle::series(int index) const
{
    // Tableau-like qualitative colours without red; the dark set is lighter so it reads on grey.
    static const QRgb light[] = {0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1, 0x76b7b2, 0xc9a227,
                                 0x9c755f, 0xd37295, 0x8c8c8c, 0x2f4b7c, 0xa05195, 0x7a9a01};
    static const QRgb dark[] = {0x7aa6d6, 0xffa85c, 0x84c97a, 0xcf9fc4, 0x8fd3cc, 0xf4d86b,
                                0xc49a82, 0xffb8c0, 0xb0b0b0, 0x6f8fc9, 0xd088c6, 0xa6c94a};
    const int n = int(std::size(light));
    const int i = ((index % n) + n) % n;
    return QColor(this->dark ? dark[i] : light[i]);
}

QColor ChartStyle::alpha(const QColor &c, int a)
{
    QColor out = c;
    out.setAlpha(a);
    return out;
}

void ChartStyle::apply(QCustomPlot *plot) const
{
    plot->setBackground(background);
    QFont tickFont = font;
    QFont labelFont = font;
    for (QCPAxisRect *rect : plot->axisRects()) {
        rect->setBackground(Qt::NoBrush);
        for (QCPAxis *axis : rect->axes()) {
            axis->setBasePen(QPen(this->axis, 1));
            axis->setTickPen(QPen(this->axis, 1));
            axis->setSubTickPen(QPen(this->axis, 1));
            axis->setTickLabelColor(mutedText);
            axis->setLabelColor(text);
            axis->setTickLabelFont(tickFont);
            axis->setLabelFont(labelFont);
            axis->setSelectedTickLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
            axis->grid()->setSubGridPen(QPen(subGrid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(this->axis, 1));
        }
    }
    // A legend placed above the plot (ChartPanel::placeLegendAbove) needs no box.
    const bool inset = plot->legend->layout() == plot->axisRect()->insetLayout();
    plot->legend->setBrush(inset ? QBrush(legendBackground) : QBrush(Qt::NoBrush));
    plot->legend->setBorderPen(inset ? QPen(grid, 1) : QPen(Qt::NoPen));
    plot->legend->setTextColor(text);
    plot->legend->setFont(font);
    plot->legend->setSelectedTextColor(text);
}

} // namespace spanscope
