#include "traceheader.h"
#include "trace/displaytext.h"

#include "costbreakdownbar.h"
#include "kindlegend.h"
#include "waterfallpainter.h"

#include "items/tracelistmodel.h"

#include <QBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>

namespace spanscope {

namespace {

// A one-line label that elides instead of growing or clipping.
class ElidedLabel : public QLabel
{
public:
    ElidedLabel(Qt::TextElideMode mode, QWidget *parent)
        : QLabel(parent)
        , m_mode(mode)
    {
    }
    QSize minimumSizeHint() const override { return QSize(0, QLabel::minimumSizeHint().height()); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setPen(palette().color(foregroundRole()));
        const QRect r = contentsRect();
        p.drawText(r, int(alignment()), fontMetrics().elidedText(text(), m_mode, r.width()));
    }

private:
    Qt::TextElideMode m_mode;
};

} // namespace

TraceHeader::TraceHeader(QWidget *parent)
    : QWidget(parent)
    , m_title(new ElidedLabel(Qt::ElideRight, this))
    , m_id(new ElidedLabel(Qt::ElideMiddle, this))
    , m_statsLabel(new QLabel(this))
    , m_legend(new KindLegend(this))
{
    m_title->setObjectName(QStringLiteral("traceTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_title->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_title->setFont(f);
    m_id->setObjectName(QStringLiteral("traceId"));
    m_id->setTextFormat(Qt::PlainText);
    m_id->setForegroundRole(QPalette::PlaceholderText);
    m_id->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_id->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_statsLabel->setObjectName(QStringLiteral("traceStats"));
    m_statsLabel->setTextFormat(Qt::RichText);
    m_statsLabel->setWordWrap(true);
    m_statsLabel->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_statsLabel, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("errors"))
            Q_EMIT errorsClicked();
    });

    auto *top = new QHBoxLayout;
    top->setSpacing(fontMetrics().averageCharWidth() * 2);
    top->addWidget(m_title);
    top->addWidget(m_id, 1);
    m_breakdown = new CostBreakdownBar(this);
    top->addWidget(m_breakdown, 0, Qt::AlignVCenter);
    top->addWidget(m_legend);
    auto *v = new QVBoxLayout(this);
    const int m = fontMetrics().averageCharWidth();
    v->setContentsMargins(m + 2, m / 2 + 2, m + 2, m / 2 + 2);
    v->setSpacing(2);
    v->addLayout(top);
    v->addWidget(m_statsLabel);
    clear();
}

void TraceHeader::setStats(const TraceStats &stats, const QString &traceId)
{
    m_stats = stats;
    m_traceId = traceId;
    m_hasTrace = true;
    QList<SpanKind> kinds;
    for (const KindStats &k : stats.byKind)
        kinds << k.kind;
    m_legend->setKinds(kinds);
    m_breakdown->setStats(stats);
    rebuild();
}

void TraceHeader::clear()
{
    m_stats = {};
    m_traceId.clear();
    m_hasTrace = false;
    m_legend->setKinds({});
    if (m_breakdown)
        m_breakdown->clear();
    rebuild();
}

QString TraceHeader::title(const TraceSummary &t)
{
    return t.name.isEmpty() ? tr("(unnamed trace)") : displayLine(t.name);
}

QList<TraceHeader::Item> TraceHeader::items(const TraceSummary &t)
{
    const QLocale l;
    QList<Item> out;
    out.append({tr("Duration"), formatDuration(t.durationNs()), {}});
    out.append({tr("Spans"), l.toString(t.spanCount), {}});
    out.append({tr("LLM calls"), l.toString(t.llmCount), {}});
    out.append({tr("Tool calls"), l.toString(t.toolCount), {}});
    if (t.inputTokens > 0 || t.outputTokens > 0)
        out.append({tr("Tokens"), tr("%1 in · %2 out").arg(l.toString(t.inputTokens), l.toString(t.outputTokens)), {}});
    else
        out.append({tr("Tokens"), QStringLiteral("—"), {}});
    Item cost{tr("Cost"), t.pricedSpanCount > 0 || t.costUsd > 0 ? TraceListModel::formatCost(t.costUsd) : QStringLiteral("—"), {}};
    if (t.computedCostUsd > 0)
        cost.note = tr("incl. %1 computed").arg(TraceListModel::formatCost(t.computedCostUsd));
    if (!t.unpricedModels.isEmpty())
        cost.note += (cost.note.isEmpty() ? QString() : QStringLiteral(", ")) + tr("no price for %1").arg(t.unpricedModels.join(QStringLiteral(", ")));
    out.append(cost);
    Item errors{tr("Errors"), t.errorCount == 1 ? tr("1 error") : t.errorCount > 1 ? tr("%1 errors").arg(l.toString(t.errorCount)) : tr("no errors"), {}};
    errors.isErrors = true;
    errors.errorCount = t.errorCount;
    out.append(errors);
    return out;
}

QString TraceHeader::statsText() const
{
    if (!m_hasTrace)
        return {};
    QStringList parts;
    for (const Item &i : items(m_stats.totals)) {
        QString s = i.isErrors ? i.value : i.label + QLatin1Char(' ') + i.value;
        if (!i.note.isEmpty())
            s += QStringLiteral(" (") + i.note + QLatin1Char(')');
        parts << s;
    }
    return parts.join(QStringLiteral(" · "));
}

QString TraceHeader::titleText() const
{
    return m_title->text();
}

void TraceHeader::rebuild()
{
    if (!m_hasTrace) {
        m_title->setText(QString());
        m_id->setText(QString());
        m_statsLabel->setText(QString());
        m_statsLabel->setToolTip(QString());
        return;
    }
    const WaterfallColors c = WaterfallColors::fromPalette(palette());
    const TraceSummary &t = m_stats.totals;
    m_title->setText(title(t));
    m_title->setToolTip(title(t));
    updateTitleWidth();
    QString id = m_traceId;
    if (!t.serviceName.isEmpty())
        id = t.serviceName + QStringLiteral("  ·  ") + id;
    m_id->setText(id);

    const QString muted = c.mutedText.name();
    const QString sep = QStringLiteral("<span style='color:%1'>&nbsp;&nbsp;│&nbsp;&nbsp;</span>").arg(c.dimmed(c.text).name());
    QStringList parts;
    for (const Item &i : items(t)) {
        if (i.isErrors) {
            if (i.errorCount > 0)
                parts << QStringLiteral("<a href='errors' style='color:%1; text-decoration:none; font-weight:600'>\u26A0&nbsp;%2</a>")
                             .arg(c.error.name(), i.value.toHtmlEscaped());
            else
                parts << QStringLiteral("<span style='color:%1'>%2</span>").arg(muted, i.value.toHtmlEscaped());
            continue;
        }
        QString s = QStringLiteral("<span style='color:%1'>%2</span>&nbsp;<b>%3</b>")
                        .arg(muted, i.label.toHtmlEscaped(), i.value.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
        if (!i.note.isEmpty())
            s += QStringLiteral("&nbsp;<span style='color:%1'>(%2)</span>").arg(muted, i.note.toHtmlEscaped());
        parts << s;
    }
    m_statsLabel->setText(parts.join(sep));
    m_statsLabel->setToolTip(breakdownToolTip());
}

QString TraceHeader::breakdownToolTip() const
{
    if (m_stats.byKind.isEmpty())
        return {};
    const QLocale l;
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'><tr><th align='left'>%1</th><th align='right'>%2</th>"
                                  "<th align='right'>%3</th><th align='right'>%4</th><th align='right'>%5</th><th align='right'>%6</th></tr>")
                       .arg(tr("Kind"), tr("Spans"), tr("Total time"), tr("Self time"), tr("Tokens"), tr("Cost"));
    for (const KindStats &k : m_stats.byKind) {
        const StatsBucket &b = k.stats;
        html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td>"
                               "<td align='right'>%5</td><td align='right'>%6</td></tr>")
                    .arg(spanKindName(k.kind), l.toString(b.spans), formatDuration(b.totalNs), formatDuration(b.selfNs),
                         b.inputTokens + b.outputTokens > 0 ? l.toString(b.inputTokens + b.outputTokens) : QString(),
                         b.costUsd > 0 ? TraceListModel::formatCost(b.costUsd) : QString());
    }
    html += QStringLiteral("</table>");
    if (!m_stats.byModel.isEmpty()) {
        html += QStringLiteral("<br/><table cellspacing='0' cellpadding='2'><tr><th align='left'>%1</th><th align='right'>%2</th>"
                               "<th align='right'>%3</th><th align='right'>%4</th></tr>")
                    .arg(tr("Model"), tr("Calls"), tr("Tokens in / out"), tr("Cost"));
        for (const ModelStats &m : m_stats.byModel) {
            const StatsBucket &b = m.stats;
            html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3 / %4</td><td align='right'>%5</td></tr>")
                        .arg(m.model.toHtmlEscaped(), l.toString(b.spans), l.toString(b.inputTokens), l.toString(b.outputTokens),
                             b.costUsd > 0 ? TraceListModel::formatCost(b.costUsd) : QString());
        }
        html += QStringLiteral("</table>");
    }
    return html;
}

void TraceHeader::updateTitleWidth()
{
    // The title keeps its full width (up to half the header); the id and legend give way first.
    const int full = m_title->fontMetrics().horizontalAdvance(m_title->text()) + 2;
    m_title->setMinimumWidth(std::min(full, width() / 2));
}

void TraceHeader::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateTitleWidth();
}

void TraceHeader::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    QWidget::changeEvent(event);
}

} // namespace spanscope
