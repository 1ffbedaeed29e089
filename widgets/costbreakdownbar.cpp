#include "costbreakdownbar.h"

#include "chartpanel.h"
#include "chartstyle.h"
#include "items/kindpalette.h"
#include "layout/timescale.h"
#include "waterfallpainter.h"

#include <QEvent>
#include <QFrame>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace spanscope {

namespace {
constexpr int BarHeight = 6;
constexpr int MissingWidth = 14;   // px of a "price missing" segment: its share is unknown
} // namespace

CostBreakdownBar::CostBreakdownBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("costBreakdown"));
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Where the time and cost of this trace went; click for the breakdown"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    hide();
}

QFont CostBreakdownBar::labelFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    return f;
}

int CostBreakdownBar::labelWidth() const
{
    const QFontMetrics fm(labelFont());
    return std::max(fm.horizontalAdvance(tr("time")), fm.horizontalAdvance(tr("cost"))) + 5;
}

int CostBreakdownBar::rowHeight() const
{
    return std::max(BarHeight + 2, QFontMetrics(labelFont()).height());
}

QSize CostBreakdownBar::sizeHint() const
{
    const QFontMetrics fm(font());
    return QSize(labelWidth() + fm.averageCharWidth() * 30, 2 * rowHeight() + 1);
}

void CostBreakdownBar::setStats(const TraceStats &stats)
{
    m_stats = stats;
    m_hasStats = true;
    rebuild();
}

void CostBreakdownBar::clear()
{
    m_stats = {};
    m_hasStats = false;
    rebuild();
}

void CostBreakdownBar::rebuild()
{
    m_time.clear();
    m_cost.clear();
    if (!m_hasStats) {
        hide();
        return;
    }
    const bool dark = WaterfallColors::isDark(palette());
    const ChartStyle style = ChartStyle::fromPalette(palette());
    const QLocale l;
    qint64 totalSelf = 0;
    for (const KindStats &k : m_stats.byKind)
        totalSelf += std::max<qint64>(k.stats.selfNs, 0);
    for (const KindStats &k : m_stats.byKind) {
        if (k.stats.selfNs <= 0 || totalSelf <= 0)
            continue;
        Segment s;
        s.label = spanKindName(k.kind);
        s.value = double(k.stats.selfNs);
        s.fraction = double(k.stats.selfNs) / double(totalSelf);
        s.color = KindPalette::color(k.kind, dark);
        s.toolTip = tr("%1: %2 of self time (%3 %), %n span(s)", nullptr, k.stats.spans)
                        .arg(s.label, formatDuration(k.stats.selfNs), l.toString(s.fraction * 100, 'f', 1));
        m_time << s;
    }
    const TraceSummary &t = m_stats.totals;
    double modelCost = 0;
    for (const ModelStats &m : m_stats.byModel)
        modelCost += std::max(0.0, m.stats.costUsd);
    const double otherCost = std::max(0.0, t.costUsd - modelCost);
    const double totalCost = modelCost + (otherCost > 1e-12 ? otherCost : 0);
    int i = 0;
    for (const ModelStats &m : m_stats.byModel) {
        const int colour = i++;
        if (m.stats.costUsd <= 0)
            continue;
        Segment s;
        s.label = m.model;
        s.value = m.stats.costUsd;
        s.fraction = totalCost > 0 ? m.stats.costUsd / totalCost : 0;
        s.color = style.series(colour);
        s.toolTip = tr("%1: %2 (%3 %), %n call(s)", nullptr, m.stats.spans)
                        .arg(m.model, ChartPanel::formatUsd(m.stats.costUsd), l.toString(s.fraction * 100, 'f', 1));
        m_cost << s;
    }
    if (otherCost > 1e-12) {
        Segment s;
        s.label = tr("other spans");
        s.value = otherCost;
        s.fraction = otherCost / totalCost;
        s.color = style.mutedText;
        s.toolTip = tr("Spans without a model: %1").arg(ChartPanel::formatUsd(otherCost));
        m_cost << s;
    }
    for (const QString &m : t.unpricedModels) {
        Segment s;
        s.label = m;
        s.priceMissing = true;
        s.color = style.warning;
        s.toolTip = tr("%1: price missing — its calls are not in the cost (Settings > Prices…)").arg(m);
        m_cost << s;
    }
    setVisible(!m_time.isEmpty() || !m_cost.isEmpty());
    updateGeometry();
    update();
}

QRect CostBreakdownBar::barRect(int row) const
{
    // Each row: a small label ("time", "cost") then the bar, centred in the row.
    const int h = rowHeight();
    const int top = row * (h + 1) + (h - BarHeight) / 2;
    const int left = labelWidth();
    return QRect(left, top, std::max(1, width() - left), BarHeight);
}

void CostBreakdownBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const ChartStyle style = ChartStyle::fromPalette(palette());
    p.setFont(labelFont());
    p.setPen(style.mutedText);
    for (int row = 0; row < 2; ++row) {
        const QRect r = barRect(row);
        p.drawText(QRect(0, row * (rowHeight() + 1), labelWidth() - 5, rowHeight()), Qt::AlignRight | Qt::AlignVCenter,
                   row == 0 ? tr("time") : tr("cost"));
        p.fillRect(r, style.grid);
        const QList<Segment> &segments = row == 0 ? m_time : m_cost;
        int missing = 0;
        for (const Segment &s : segments)
            missing += s.priceMissing;
        // Unknown shares get a fixed width at the end; known ones share the rest.
        const bool onlyMissing = missing > 0 && missing == segments.size();
        const int missingWidth = onlyMissing ? r.width() / missing : std::min(MissingWidth, r.width() / (2 * std::max(1, missing)));
        const int known = r.width() - missing * missingWidth;
        double x = r.left();
        for (const Segment &s : segments) {
            const double w = s.priceMissing ? missingWidth : s.fraction * known;
            const QRectF seg(x, r.top(), w, r.height());
            if (s.priceMissing) {
                p.fillRect(seg, ChartStyle::alpha(s.color, 90));
                p.fillRect(seg, QBrush(s.color, Qt::BDiagPattern));
            } else {
                p.fillRect(seg, s.color);
            }
            x += w;
        }
    }
}

const CostBreakdownBar::Segment *CostBreakdownBar::segmentAt(const QPoint &pos) const
{
    for (int row = 0; row < 2; ++row) {
        const QRect r = barRect(row).adjusted(0, -2, 0, 2);
        if (!r.contains(pos))
            continue;
        const QList<Segment> &segments = row == 0 ? m_time : m_cost;
        int missing = 0;
        for (const Segment &s : segments)
            missing += s.priceMissing;
        const bool onlyMissing = missing > 0 && missing == segments.size();
        const int missingWidth = onlyMissing ? r.width() / missing : std::min(MissingWidth, r.width() / (2 * std::max(1, missing)));
        const int known = r.width() - missing * missingWidth;
        double x = r.left();
        for (const Segment &s : segments) {
            const double w = s.priceMissing ? missingWidth : s.fraction * known;
            if (pos.x() >= x && pos.x() < x + w)
                return &s;
            x += w;
        }
    }
    return nullptr;
}

QString CostBreakdownBar::toolTipAt(const QPoint &pos) const
{
    if (const Segment *s = segmentAt(pos))
        return s->toolTip;
    return {};
}

void CostBreakdownBar::mouseMoveEvent(QMouseEvent *event)
{
    const QString tip = toolTipAt(event->position().toPoint());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

void CostBreakdownBar::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        showDetails();
}

void CostBreakdownBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

QString CostBreakdownBar::detailsHtml() const
{
    const QLocale l;
    const ChartStyle style = ChartStyle::fromPalette(palette());
    auto swatch = [](const QColor &c) { return QStringLiteral("<span style='color:%1'>■</span> ").arg(c.name()); };
    QString html = QStringLiteral("<b>%1</b><table cellspacing='0' cellpadding='2'>").arg(tr("Where the time went (self time)"));
    for (const Segment &s : m_time) {
        html += QStringLiteral("<tr><td>%1%2</td><td align='right'>%3</td><td align='right'>%4 %</td></tr>")
                    .arg(swatch(s.color), s.label.toHtmlEscaped(), formatDuration(qint64(s.value)), l.toString(s.fraction * 100, 'f', 1));
    }
    html += QStringLiteral("</table><br/><b>%1</b><table cellspacing='0' cellpadding='2'>").arg(tr("Where the cost went"));
    if (m_cost.isEmpty())
        html += QStringLiteral("<tr><td>%1</td></tr>").arg(tr("No span of this trace has a cost."));
    for (const Segment &s : m_cost) {
        if (s.priceMissing) {
            html += QStringLiteral("<tr><td>%1%2</td><td align='right' colspan='2' style='color:%3'>%4</td></tr>")
                        .arg(swatch(s.color), s.label.toHtmlEscaped(), style.warning.name(), tr("price missing"));
        } else {
            html += QStringLiteral("<tr><td>%1%2</td><td align='right'>%3</td><td align='right'>%4 %</td></tr>")
                        .arg(swatch(s.color), s.label.toHtmlEscaped(), ChartPanel::formatUsd(s.value), l.toString(s.fraction * 100, 'f', 1));
        }
    }
    html += QStringLiteral("</table>");
    return html;
}

void CostBreakdownBar::showDetails()
{
    auto *popup = new QFrame(this, Qt::Popup);
    popup->setAttribute(Qt::WA_DeleteOnClose);
    popup->setObjectName(QStringLiteral("costBreakdownDetails"));
    popup->setFrameShape(QFrame::StyledPanel);
    auto *label = new QLabel(detailsHtml(), popup);
    label->setTextFormat(Qt::RichText);
    auto *v = new QVBoxLayout(popup);
    v->setContentsMargins(10, 8, 10, 8);
    v->addWidget(label);
    popup->adjustSize();
    popup->move(mapToGlobal(QPoint(width() - popup->width(), height() + 4)));
    popup->show();
}

} // namespace spanscope
