#include "comparesummarybar.h"
#include "trace/displaytext.h"

#include "items/comparemodel.h"
#include "items/kindpalette.h"
#include "layout/timescale.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace spanscope {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString costText(const TraceSummary &t)
{
    if (t.pricedSpanCount == 0)
        return QStringLiteral("–");
    return QStringLiteral("$") + QString::number(t.costUsd, 'f', t.costUsd < 0.01 ? 6 : 4);
}

// A delta coloured by whether it is worse (more) or better (less); zero stays plain.
QString coloured(const QString &text, double delta)
{
    if (std::abs(delta) < 1e-12)
        return esc(text);
    const QColor c = delta > 0 ? KindPalette::removedColor() : KindPalette::addedColor();
    return QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>").arg(c.name(), esc(text));
}

QString shortId(const QString &id)
{
    return id.size() > 12 ? id.left(12) + QStringLiteral("…") : id;
}

} // namespace

CompareSummaryBar::CompareSummaryBar(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_totals(new QLabel(this))
    , m_contributors(new QWidget(this))
    , m_contributorsLayout(new QHBoxLayout(m_contributors))
{
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setTextFormat(Qt::RichText);
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_contributorsLayout->setContentsMargins(0, 0, 0, 0);
    m_contributorsLayout->setSpacing(2);
    const int m = fontMetrics().averageCharWidth();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(m * 2, m, m * 2, m);
    layout->setSpacing(m / 2);
    layout->addWidget(m_title);
    layout->addWidget(m_totals);
    layout->addWidget(m_contributors);
}

void CompareSummaryBar::setComparison(const TraceComparison &comparison, const Trace &a, const TraceSummary &sa,
                                      const Trace &b, const TraceSummary &sb)
{
    const CompareSummary s = comparison.summary();
    m_render = [this, s, sa, sb] {
        const QColor muted = KindPalette::mutedColor();
        auto side = [&](const QString &label, const TraceSummary &t) {
            return QStringLiteral("<b>%1</b>&nbsp; %2 &nbsp;<span style=\"color:%3\">%4</span> &nbsp;%5 · %6 · %7")
                .arg(label, esc(t.name.isEmpty() ? tr("(unnamed trace)") : displayLine(t.name, 200)), muted.name(), esc(shortId(t.traceId)),
                     esc(formatDuration(t.durationNs())),
                     esc(t.spanCount == 1 ? tr("1 span") : tr("%1 spans").arg(t.spanCount)), esc(costText(t)));
        };
        m_titleHtml = side(QStringLiteral("A"), sa) + QStringLiteral("<br>") + side(QStringLiteral("B"), sb);

        QString pct;
        if (s.a.durationNs() > 0 && s.deltaDurationNs != 0)
            pct = QStringLiteral(" (%1%2 %)").arg(s.deltaDurationNs > 0 ? QStringLiteral("+") : QStringLiteral("−"))
                      .arg(std::abs(100.0 * double(s.deltaDurationNs) / double(s.a.durationNs())), 0, 'f', 1);
        QStringList parts;
        parts << tr("Latency %1").arg(coloured(CompareModel::formatDurationDelta(s.deltaDurationNs) + pct, double(s.deltaDurationNs)));
        parts << tr("Tokens %1 in / %2 out")
                     .arg(coloured(CompareModel::formatCountDelta(s.deltaInputTokens), double(s.deltaInputTokens)),
                          coloured(CompareModel::formatCountDelta(s.deltaOutputTokens), double(s.deltaOutputTokens)));
        parts << tr("Cost %1").arg(coloured(CompareModel::formatCostDelta(s.deltaCostUsd), s.deltaCostUsd));
        parts << tr("Errors %1").arg(coloured(CompareModel::formatCountDelta(s.deltaErrors), double(s.deltaErrors)));
        auto count = [](const QColor &c, const QString &text) {
            return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(c.name(), esc(text));
        };
        parts << count(KindPalette::addedColor(), tr("%1 added").arg(s.added)) + QStringLiteral(" · ")
                     + count(KindPalette::removedColor(), tr("%1 removed").arg(s.removed)) + QStringLiteral(" · ")
                     + count(KindPalette::changedColor(), tr("%1 changed").arg(s.changed)) + QStringLiteral(" · ")
                     + esc(tr("%1 same").arg(s.same));
        m_totalsHtml = parts.join(QStringLiteral(" &nbsp;·&nbsp; "));
    };

    auto contributor = [&](const CompareContributor &k, bool latency) {
        const CompareRow &row = comparison.row(k.row);
        const Span &span = row.b >= 0 ? b.span(row.b) : a.span(row.a);
        Contributor c;
        c.row = k.row;
        const QString delta = latency ? CompareModel::formatDurationDelta(k.deltaSelfNs) : CompareModel::formatCostDelta(k.deltaCostUsd);
        c.worse = latency ? k.deltaSelfNs > 0 : k.deltaCostUsd > 0;
        const QString status = row.status == CompareStatus::Added     ? tr("added in B")
                             : row.status == CompareStatus::Removed   ? tr("only in A")
                                                                      : tr("changed");
        // A span on one side only says so: "search_web" alone could be its paired namesake.
        c.text = displayLine(span.name, 200)
            + (row.status == CompareStatus::Added       ? tr(" (added)")
               : row.status == CompareStatus::Removed ? tr(" (removed)")
                                                      : QString())
            + QStringLiteral("  ") + delta;
        c.toolTip = latency ? tr("%1 (%2): self time %3").arg(span.name, status, delta)
                            : tr("%1 (%2): cost %3").arg(displayLine(span.name, 200), status, delta);
        return c;
    };
    m_latency.clear();
    m_cost.clear();
    for (const CompareContributor &k : s.topLatency.mid(0, MaxShown))
        m_latency << contributor(k, true);
    for (const CompareContributor &k : s.topCost.mid(0, MaxShown))
        m_cost << contributor(k, false);
    rebuild();
}

void CompareSummaryBar::clear()
{
    m_render = nullptr;
    m_titleHtml.clear();
    m_totalsHtml.clear();
    m_latency.clear();
    m_cost.clear();
    rebuild();
}

QString CompareSummaryBar::titleText() const
{
    QTextDocument d;
    d.setHtml(m_titleHtml);
    return d.toPlainText();
}

QString CompareSummaryBar::totalsText() const
{
    QTextDocument d;
    d.setHtml(m_totalsHtml);
    return d.toPlainText();
}

void CompareSummaryBar::rebuild()
{
    if (m_render)
        m_render();
    m_title->setText(m_titleHtml);
    m_totals->setText(m_totalsHtml);
    m_buttons.clear();
    while (QLayoutItem *item = m_contributorsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto addGroup = [&](const QString &label, const QList<Contributor> &list) {
        if (list.isEmpty())
            return;
        auto *l = new QLabel(label, m_contributors);
        l->setForegroundRole(QPalette::PlaceholderText);
        m_contributorsLayout->addWidget(l);
        for (const Contributor &c : list) {
            auto *button = new QToolButton(m_contributors);
            button->setText(c.text);
            button->setToolTip(c.toolTip);
            button->setAutoRaise(true);
            button->setCursor(Qt::PointingHandCursor);
            QPalette pal = button->palette();
            pal.setColor(QPalette::ButtonText, c.worse ? KindPalette::removedColor() : KindPalette::addedColor());
            button->setPalette(pal);
            const int row = c.row;
            connect(button, &QToolButton::clicked, this, [this, row] { Q_EMIT rowActivated(row); });
            m_contributorsLayout->addWidget(button);
            m_buttons << button;
        }
        m_contributorsLayout->addSpacing(fontMetrics().averageCharWidth() * 2);
    };
    addGroup(tr("Most latency:"), m_latency);
    addGroup(tr("Most cost:"), m_cost);
    m_contributorsLayout->addStretch(1);
    m_contributors->setVisible(!m_buttons.isEmpty());
}

void CompareSummaryBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_render)
        rebuild();
}

} // namespace spanscope
