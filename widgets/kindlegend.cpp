#include "kindlegend.h"

#include "waterfallpainter.h"

#include <QLinearGradient>
#include <QPainter>

namespace spanscope {

KindLegend::KindLegend(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void KindLegend::setKinds(const QList<SpanKind> &kinds)
{
    m_kinds = kinds;
    updateToolTip();
    updateGeometry();
    update();
}

void KindLegend::setCriticalPathShown(bool shown)
{
    m_critical = shown;
    updateToolTip();
    updateGeometry();
    update();
}

void KindLegend::setMarksShown(bool errors, bool running)
{
    m_errors = errors;
    m_running = running;
    updateToolTip();
    updateGeometry();
    update();
}

QStringList KindLegend::labels(const QList<SpanKind> &kinds, bool errors, bool running, bool critical)
{
    QStringList out;
    for (SpanKind k : kinds)
        out << spanKindName(k);
    if (errors)
        out << tr("error");
    if (running)
        out << tr("running");
    if (critical)
        out << tr("critical path");
    return out;
}

void KindLegend::updateToolTip()
{
    setToolTip(tr("Colours: %1").arg(labels(m_kinds, m_errors, m_running, m_critical).join(QStringLiteral(", "))));
}

QSize KindLegend::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int swatch = fm.height() * 3 / 4;
    int w = 0;
    for (const QString &l : labels(m_kinds, m_errors, m_running, m_critical))
        w += swatch + std::max(3, fm.averageCharWidth() / 2) + fm.horizontalAdvance(l) + fm.averageCharWidth() * 2;
    // The error, running and critical-path samples are wider than a kind swatch.
    w += (m_errors ? swatch / 2 : 0) + (m_running ? swatch : 0) + (m_critical ? swatch : 0);
    return QSize(w, fm.height() + 4);
}

QSize KindLegend::minimumSizeHint() const
{
    return QSize(0, fontMetrics().height() + 4);
}

int KindLegend::paint(QPainter &p, const QRect &rect, const QList<SpanKind> &kinds, bool errors, bool running,
                      bool critical, const QPalette &palette, const QFont &font)
{
    const WaterfallColors c = WaterfallColors::fromPalette(palette);
    const QFontMetrics fm(font);
    const int swatch = fm.height() * 3 / 4;
    const int gapAfterSwatch = std::max(3, fm.averageCharWidth() / 2);
    const int gapBetween = fm.averageCharWidth() * 2;
    p.save();
    p.setFont(font);
    p.setClipRect(rect);
    int x = rect.left();
    const int sy = rect.top() + (rect.height() - swatch) / 2;
    // Items that do not fit whole are left out (the widget's tooltip lists them all).
    auto fits = [&](int sampleW, const QString &text) {
        return x + sampleW + gapAfterSwatch + fm.horizontalAdvance(text) <= rect.right() + 1;
    };
    auto label = [&](const QString &text) {
        x += swatch + gapAfterSwatch;
        p.setPen(c.mutedText.darker(c.dark ? 70 : 125));
        const int w = fm.horizontalAdvance(text);
        p.drawText(QRect(x, rect.top(), w + 1, rect.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += w + gapBetween;
    };
    for (SpanKind k : kinds) {
        if (!fits(swatch, spanKindName(k))) {
            p.restore();
            return x - rect.left();
        }
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(c.kindColor(k));
        p.drawRoundedRect(QRectF(x, sy, swatch, swatch), swatch / 4.0, swatch / 4.0);
        p.setRenderHint(QPainter::Antialiasing, false);
        label(spanKindName(k));
    }
    errors = errors && fits(swatch + swatch / 2, tr("error"));
    if (errors) {
        const QRect r(x, sy, swatch + swatch / 2, swatch);
        p.fillRect(r, c.mutedText);
        QColor hatch = c.error;
        hatch.setAlpha(200);
        p.fillRect(r, QBrush(hatch, Qt::BDiagPattern));
        p.setPen(QPen(c.error, 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(r).adjusted(1, 1, -1, -1));
        x += swatch / 2;
        label(tr("error"));
    }
    running = running && fits(swatch * 2, tr("running"));
    if (running) {
        const QRect r(x, sy, swatch * 2, swatch);
        QLinearGradient g(r.left(), 0, r.right() + 1, 0);
        g.setColorAt(0, c.mutedText);
        QColor end = c.mutedText;
        end.setAlpha(0);
        g.setColorAt(1, end);
        p.fillRect(r, g);
        x += swatch;
        label(tr("running"));
    }
    critical = critical && fits(swatch * 2, tr("critical path"));
    if (critical) {
        const QRect r(x, sy, swatch * 2, swatch);
        p.fillRect(r, c.dimmed(c.mutedText));
        const int bandH = std::max(3, swatch / 3);
        const QRect band(r.left(), r.top() + (swatch - bandH) / 2, r.width(), bandH);
        p.fillRect(band, c.critical);
        x += swatch;
        label(tr("critical path"));
    }
    p.restore();
    return x - rect.left();
}

void KindLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paint(p, rect(), m_kinds, m_errors, m_running, m_critical, palette(), font());
}

} // namespace spanscope
