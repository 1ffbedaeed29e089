#include "dashboardview.h"

#include "chartstyle.h"
#include "dashboardcharts.h"
#include "items/dashboardmodel.h"
#include "items/workspacereader.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace spanscope {

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
    , m_model(new DashboardModel(this))
    , m_totals(new QLabel(this))
    , m_busy(new QLabel(this))
    , m_bucket(new QComboBox(this))
    , m_cost(new CostOverTimeChart)
    , m_tokens(new TokensOverTimeChart)
    , m_requests(new RequestsChart)
    , m_latency(new DistributionChart(DistributionChart::Kind::Latency))
    , m_top(new TopChart)
    , m_traceCost(new DistributionChart(DistributionChart::Kind::TraceCost))
{
    setObjectName(QStringLiteral("dashboard"));
    m_totals->setObjectName(QStringLiteral("dashboardTotals"));
    m_totals->setTextFormat(Qt::RichText);
    m_totals->setWordWrap(true);
    m_busy->setObjectName(QStringLiteral("dashboardBusy"));
    m_busy->setText(tr("Updating…"));
    m_busy->setForegroundRole(QPalette::PlaceholderText);
    m_busy->hide();
    m_bucket->setObjectName(QStringLiteral("dashboardBucket"));
    m_bucket->setToolTip(tr("Time bucket of the charts over time"));
    m_bucket->addItem(tr("Auto buckets"), qint64(0));
    m_bucket->addItem(tr("Per minute"), WorkspaceStats::Minute);
    m_bucket->addItem(tr("Per hour"), WorkspaceStats::Hour);
    m_bucket->addItem(tr("Per day"), WorkspaceStats::Day);
    auto *refresh = new QToolButton(this);
    refresh->setText(tr("Refresh"));
    refresh->setAutoRaise(true);
    connect(refresh, &QToolButton::clicked, this, &DashboardView::refresh);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(8, 6, 8, 2);
    top->addWidget(m_totals, 1);
    top->addWidget(m_busy);
    top->addWidget(m_bucket);
    top->addWidget(refresh);

    auto *content = new QWidget;
    auto *grid = new QGridLayout(content);
    grid->setContentsMargins(6, 4, 6, 6);
    grid->setSpacing(6);
    grid->addWidget(m_cost, 0, 0);
    grid->addWidget(m_tokens, 0, 1);
    grid->addWidget(m_requests, 1, 0);
    grid->addWidget(m_latency, 1, 1);
    grid->addWidget(m_top, 2, 0);
    grid->addWidget(m_traceCost, 2, 1);
    for (int r = 0; r < 3; ++r) {
        grid->setRowMinimumHeight(r, 280);
        grid->setRowStretch(r, 1);
    }
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    v->addLayout(top);
    v->addWidget(scroll, 1);

    for (DashboardChart *c : charts()) {
        connect(c, &ChartPanel::drillDownRequested, this, [this, c](const TraceQuery &q, const QString &what) {
            Q_EMIT tracesRequested(q, c->title() + QStringLiteral(": ") + what);
        });
    }
    connect(m_latency, &DistributionChart::latencyModelChosen, m_model, &DashboardModel::setLatencyModel);
    // Only the top list on show is computed (span names cost the most).
    m_model->setTopDimension(m_top->dimension());
    connect(m_top, &TopChart::dimensionChosen, m_model, &DashboardModel::setTopDimension);
    connect(m_bucket, &QComboBox::currentIndexChanged, this, [this] { m_model->setBucketNs(m_bucket->currentData().toLongLong()); });
    connect(m_model, &DashboardModel::reportChanged, this, &DashboardView::onReport);
    connect(m_model, &DashboardModel::loadingChanged, m_busy, &QWidget::setVisible);
    updateTotals();
}

QList<DashboardChart *> DashboardView::charts() const
{
    return {m_cost, m_tokens, m_requests, m_latency, m_top, m_traceCost};
}

void DashboardView::setReader(WorkspaceReader *reader)
{
    m_model->setReader(reader);
}

void DashboardView::setQuery(const TraceQuery &query)
{
    m_model->setQuery(query);
}

void DashboardView::refresh()
{
    m_model->refresh();
}

void DashboardView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->setActive(true);
}

void DashboardView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_model->setActive(false);
}

void DashboardView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateTotals();
}

void DashboardView::onReport()
{
    const std::shared_ptr<const StatsReport> report = m_model->report();
    for (DashboardChart *c : charts())
        c->setReport(report);
    // A bucket chosen by hand but too small for the range (more than MaxBuckets bars) gave way to
    // the automatic one: say so where it was chosen.
    const qint64 chosen = m_bucket->currentData().toLongLong();
    if (report && chosen > 0 && report->bucketNs > 0 && report->bucketNs != chosen)
        m_bucket->setToolTip(tr("Too many buckets for this range: the charts use %1 buckets")
                                 .arg(ChartPanel::formatNs(double(report->bucketNs))));
    else
        m_bucket->setToolTip(tr("Time bucket of the charts over time"));
    updateTotals();
}

QString DashboardView::totalsText() const
{
    QString t = m_totals->text();
    t.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    t.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return t;
}

void DashboardView::updateTotals()
{
    const std::shared_ptr<const StatsReport> r = m_model->report();
    if (!r) {
        m_totals->setText(QString());
        return;
    }
    if (!r->error.isEmpty()) {
        m_totals->setText(r->error.toHtmlEscaped());
        return;
    }
    const ChartStyle s = ChartStyle::fromPalette(palette());
    const StatsTotals &t = r->totals;
    const QLocale l;
    auto item = [&](const QString &label, const QString &value) {
        return QStringLiteral("<span style='color:%1'>%2</span>&nbsp;<b>%3</b>")
            .arg(s.mutedText.name(), label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QStringList parts;
    parts << item(tr("Traces"), l.toString(t.traces));
    parts << item(tr("With errors"), tr("%1 (%2 %)").arg(l.toString(t.errorTraces),
                                                        l.toString(t.traces > 0 ? 100.0 * double(t.errorTraces) / double(t.traces) : 0.0, 'f', 1)));
    parts << item(tr("LLM calls"), l.toString(t.llmCalls));
    parts << item(tr("Tokens"), tr("%1 in · %2 out").arg(l.toString(t.inputTokens), l.toString(t.outputTokens)));
    QString cost = item(tr("Cost"), t.pricedSpans > 0 ? ChartPanel::formatUsd(t.costUsd) : QStringLiteral("—"));
    if (t.unpricedSpans > 0) {
        cost += QStringLiteral("&nbsp;<span style='color:%1'>%2</span>")
                    .arg(s.warning.name(), tr("⚠ price missing for %n call(s)", nullptr, int(std::min<qint64>(t.unpricedSpans, INT_MAX)))
                                               .toHtmlEscaped());
    }
    parts << cost;
    if (!r->traceLatency.isEmpty())
        parts << item(tr("Latency"), tr("p50 %1 · p90 %2 · p99 %3")
                                         .arg(ChartPanel::formatNs(r->traceLatency.p50), ChartPanel::formatNs(r->traceLatency.p90),
                                              ChartPanel::formatNs(r->traceLatency.p99)));
    const QString sep = QStringLiteral("<span style='color:%1'>&nbsp;&nbsp;│&nbsp;&nbsp;</span>").arg(s.grid.name());
    m_totals->setText(parts.join(sep));
}

} // namespace spanscope
