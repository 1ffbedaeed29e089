#include "dashboardcharts.h"

#include "items/dashboardmodel.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace spanscope {

namespace {

// Tick labels with a unit around the number ("$0.25", "40 %").
class AffixTicker : public QCPAxisTicker
{
public:
    AffixTicker(QString prefix, QString suffix) : m_prefix(std::move(prefix)), m_suffix(std::move(suffix)) {}

protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override
    {
        return m_prefix + QCPAxisTicker::getTickLabel(tick, locale, formatChar, precision) + m_suffix;
    }

private:
    QString m_prefix, m_suffix;
};

// Large counts as 12k, 3.4M.
class CompactTicker : public QCPAxisTicker
{
protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override
    {
        const double a = std::abs(tick);
        if (a >= 1e9)
            return locale.toString(tick / 1e9, 'g', 3) + QLatin1Char('G');
        if (a >= 1e6)
            return locale.toString(tick / 1e6, 'g', 3) + QLatin1Char('M');
        if (a >= 1e3)
            return locale.toString(tick / 1e3, 'g', 3) + QLatin1Char('k');
        return QCPAxisTicker::getTickLabel(tick, locale, formatChar, precision);
    }
};

void styleBars(QCPBars *bars, const QColor &color)
{
    bars->setBrush(color);
    bars->setPen(QPen(color.darker(115), 1));
}

QCPBars *newBars(QCPAxis *key, QCPAxis *value, const QString &name, double width)
{
    auto *b = new QCPBars(key, value);
    b->setName(name);
    b->setWidthType(QCPBars::wtPlotCoords);
    b->setWidth(width);
    b->setStackingGap(0);
    b->setAntialiased(false);
    return b;
}

void resetPlot(QCustomPlot *plot)
{
    plot->clearItems();
    plot->clearPlottables();
    plot->legend->setVisible(false);
}

QString modelLabel(const QString &model)
{
    return model.isEmpty() ? QCoreApplication::translate("spanscope::DashboardChart", "(no model)") : model;
}

const QString OtherModels = QStringLiteral("\x1f");

} // namespace

// ------------------------------------------------------------------------------------------------
TraceQuery DashboardChart::bucketQuery(qint64 startNs) const
{
    return DashboardModel::narrowed(filters(), startNs, startNs + (m_report ? m_report->bucketNs : 0));
}

QString DashboardChart::noTracesText()
{
    return tr("No traces match the filters.");
}

QString DashboardChart::bucketText(qint64 startNs) const
{
    return formatBucket(startNs, m_report ? m_report->bucketNs : 0);
}

double DashboardChart::bucketKey(qint64 startNs) const
{
    return seconds(startNs + (m_report ? m_report->bucketNs / 2 : 0));
}

double DashboardChart::barWidth() const
{
    return m_report ? seconds(m_report->bucketNs) * 0.8 : 1;
}

void DashboardChart::setTimeRange()
{
    const bool hasRange = m_report && m_report->rangeEndNs > m_report->rangeStartNs;
    if (hasRange)
        setHomeRange(seconds(m_report->rangeStartNs), seconds(m_report->rangeEndNs));
    // No range (nothing matches an open time filter): no made-up dates under an empty plot.
    plot()->xAxis->setTickLabels(hasRange);
}

void DashboardChart::addMessage(const QString &text)
{
    auto *label = new QCPItemText(plot());
    label->position->setType(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(0.5, 0.45);
    label->setPositionAlignment(Qt::AlignCenter);
    label->setPadding(QMargins(8, 4, 8, 4));
    label->setText(text);
    label->setProperty("role", QStringLiteral("message"));
}

void DashboardChart::addPercentileMarkers(QCustomPlot *plot, const Distribution &d, double scale, const ChartStyle &style)
{
    if (d.isEmpty())
        return;
    const std::pair<const char *, double> marks[] = {{"p50", d.p50}, {"p90", d.p90}, {"p99", d.p99}};
    // Labels right of their line, except near the right end of the axis where they would be cut.
    const double upper = d.binWidth * double(d.bins.size()) / scale;
    int row = 0;
    for (const auto &[name, value] : marks) {
        const double x = value / scale;
        const bool nearEnd = upper > 0 && x > 0.85 * upper;
        auto *line = new QCPItemStraightLine(plot);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setProperty("role", QString::fromLatin1(name));
        auto *label = new QCPItemText(plot);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(x, 0.02 + 0.09 * row++);
        label->setPositionAlignment((nearEnd ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        label->setPadding(QMargins(3, 0, 3, 0));
        label->setText(QString::fromLatin1(name));
        label->setProperty("role", QString::fromLatin1(name));
        label->setClipToAxisRect(true);
    }
    Q_UNUSED(style);
}

namespace {

void restylePercentiles(QCustomPlot *plot, const ChartStyle &s)
{
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem *item = plot->item(i);
        const QString role = item->property("role").toString();
        const QColor c = role == QLatin1String("p50") ? s.p50 : role == QLatin1String("p90") ? s.p90 : role == QLatin1String("p99") ? s.p99
            : role == QLatin1String("warning") ? s.warning
                                               : s.mutedText;
        if (auto *line = qobject_cast<QCPItemStraightLine *>(item)) {
            line->setPen(QPen(c, 1.5, Qt::DashLine));
        } else if (auto *text = qobject_cast<QCPItemText *>(item)) {
            text->setColor(c);
            text->setFont(s.font);
            text->setBrush(ChartStyle::alpha(s.background, 200));
        }
    }
}

} // namespace

// ------------------------------------------------------------------------------------------------
CostOverTimeChart::CostOverTimeChart(QWidget *parent)
    : DashboardChart(tr("Cost over time"), parent)
{
    setObjectName(QStringLiteral("costChart"));
    placeLegendAbove(5);
    useTimeAxis();
    plot()->yAxis->setLabel(tr("Cost (USD)"));
    plot()->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new AffixTicker(QStringLiteral("$"), {})));
}

void CostOverTimeChart::setReport(std::shared_ptr<const StatsReport> report)
{
    m_report = std::move(report);
    QCustomPlot *p = plot();
    resetPlot(p);
    setLegendShown(false);
    m_bars.clear();
    m_barModels.clear();
    m_barCells.clear();
    m_missing = nullptr;
    m_missingStarts.clear();
    if (!m_report) {
        setNote({});
        restyleAndReplot();
        return;
    }
    const StatsReport &r = *m_report;
    // A series (and a legend entry) only for models with a known cost somewhere: a model whose
    // calls all lack a price has nothing to stack, only the markers.
    QSet<QString> priced;
    for (const ModelBucket &mb : r.modelBuckets) {
        if (mb.pricedSpans > 0)
            priced.insert(mb.model);
    }
    QHash<QString, int> seriesOf;
    for (const QString &m : r.models) {
        if (!priced.contains(m))
            continue;
        if (seriesOf.size() >= MaxModels) {
            m_barModels << OtherModels;
            break;
        }
        seriesOf.insert(m, int(m_barModels.size()));
        m_barModels << m;
    }
    m_barCells.resize(m_barModels.size());
    for (const ModelBucket &mb : r.modelBuckets) {
        if (mb.pricedSpans == 0)
            continue;   // no cost known: a marker says so, no bar pretends $0
        const int series = seriesOf.value(mb.model, int(m_barModels.size()) - 1);
        QList<ModelBucket> &cells = m_barCells[series];
        if (m_barModels[series] == OtherModels && !cells.isEmpty() && cells.last().startNs == mb.startNs) {
            ModelBucket &c = cells.last();
            c.spans += mb.spans;
            c.costUsd += mb.costUsd;
            c.pricedSpans += mb.pricedSpans;
            c.unpricedSpans += mb.unpricedSpans;
        } else {
            ModelBucket c = mb;
            if (m_barModels[series] == OtherModels)
                c.model = OtherModels;
            cells << c;
        }
    }
    QCPBars *below = nullptr;
    for (int i = 0; i < m_barModels.size(); ++i) {
        const QString &m = m_barModels[i];
        QCPBars *b = newBars(p->xAxis, p->yAxis, m == OtherModels ? tr("other models") : modelLabel(m), barWidth());
        QVector<double> keys, values;
        for (const ModelBucket &c : std::as_const(m_barCells[i])) {
            keys << bucketKey(c.startNs);
            values << c.costUsd;
        }
        b->setData(keys, values, true);
        if (below)
            b->moveAbove(below);
        below = b;
        m_bars << b;
    }
    double top = 0;
    for (const TimeBucket &tb : r.buckets)
        top = std::max(top, tb.costUsd);
    const double yMax = top > 0 ? top * 1.18 : 1.0;
    QVector<double> mk, mv;
    for (const TimeBucket &tb : r.buckets) {
        if (tb.unpricedSpans == 0)
            continue;
        mk << bucketKey(tb.startNs);
        mv << tb.costUsd + yMax * 0.05;
        m_missingStarts << tb.startNs;
    }
    if (!mk.isEmpty()) {
        m_missing = new QCPGraph(p->xAxis, p->yAxis);
        m_missing->setName(tr("price missing"));
        m_missing->setLineStyle(QCPGraph::lsNone);
        m_missing->setData(mk, mv, true);
    }
    setLegendShown(!m_bars.isEmpty() || m_missing);
    // Without a known cost the value axis has no scale to show.
    p->yAxis->setTickLabels(top > 0);
    p->yAxis->setRange(0, yMax);
    setTimeRange();

    if (noTraces()) {
        setNote(noTracesText());
        addMessage(noTracesText());
        restyleAndReplot();
        return;
    }
    if (m_bars.isEmpty() && !m_missing)
        addMessage(tr("No span has a cost."));
    else if (m_bars.isEmpty())
        addMessage(tr("Cost unknown: no price for %1").arg(r.totals.unpricedModels.join(QStringLiteral(", "))));
    // Without a single priced call the total is unknown, not $0.
    QString note = r.totals.pricedSpans > 0 ? tr("Total %1").arg(formatUsd(r.totals.costUsd)) : tr("No cost known");
    if (r.totals.computedCostUsd > 0)
        note += tr(" (%1 computed from prices)").arg(formatUsd(r.totals.computedCostUsd));
    if (r.totals.unpricedSpans > 0)
        note += tr(" · ⚠ %n call(s) without a price (%1) not included", nullptr, int(std::min<qint64>(r.totals.unpricedSpans, INT_MAX)))
                    .arg(r.totals.unpricedModels.join(QStringLiteral(", ")));
    setNote(note, r.totals.unpricedSpans > 0);
    restyleAndReplot();
}

void CostOverTimeChart::restyle(const ChartStyle &s)
{
    restylePercentiles(plot(), s);
    for (int i = 0; i < m_bars.size(); ++i)
        styleBars(m_bars[i], m_barModels[i] == OtherModels ? s.mutedText : s.series(i));
    if (m_missing) {
        m_missing->setPen(QPen(s.warning));
        m_missing->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(s.warning.darker(120), 1), s.warning, 9));
    }
}

QString CostOverTimeChart::toolTipFor(const Hit &hit) const
{
    if (!hit.isValid() || !m_report)
        return {};
    if (hit.plottable == m_missing && hit.index < m_missingStarts.size()) {
        const qint64 start = m_missingStarts[hit.index];
        QStringList lines{bucketText(start)};
        for (const ModelBucket &mb : m_report->modelBuckets) {
            if (mb.startNs == start && mb.unpricedSpans > 0)
                lines << tr("⚠ %1: %n call(s) without a price", nullptr, int(mb.unpricedSpans)).arg(modelLabel(mb.model));
        }
        return lines.join(QLatin1Char('\n'));
    }
    const int series = int(m_bars.indexOf(static_cast<QCPBars *>(hit.plottable)));
    if (series < 0 || hit.index >= m_barCells[series].size())
        return {};
    const ModelBucket &c = m_barCells[series][hit.index];
    QString text = bucketText(c.startNs) + QLatin1Char('\n')
        + (c.model == OtherModels ? tr("other models") : modelLabel(c.model)) + QStringLiteral(": ") + formatUsd(c.costUsd)
        + tr(" · %n call(s)", nullptr, int(c.spans));
    if (c.unpricedSpans > 0)
        text += QLatin1Char('\n') + tr("⚠ %n call(s) without a price, not included", nullptr, int(c.unpricedSpans));
    return text;
}

bool CostOverTimeChart::drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const
{
    if (!hit.isValid() || !m_report)
        return false;
    if (hit.plottable == m_missing && hit.index < m_missingStarts.size()) {
        const qint64 start = m_missingStarts[hit.index];
        *query = bucketQuery(start);
        QStringList models;
        for (const ModelBucket &mb : m_report->modelBuckets) {
            if (mb.startNs == start && mb.unpricedSpans > 0)
                models << mb.model;
        }
        if (models.size() == 1 && !models.first().isEmpty())
            query->model = models.first();
        *description = tr("price missing (%1), %2").arg(models.join(QStringLiteral(", ")), bucketText(start));
        return true;
    }
    const int series = int(m_bars.indexOf(static_cast<QCPBars *>(hit.plottable)));
    if (series < 0 || hit.index >= m_barCells[series].size())
        return false;
    const ModelBucket &c = m_barCells[series][hit.index];
    *query = bucketQuery(c.startNs);
    if (c.model != OtherModels && !c.model.isEmpty()) {
        query->model = c.model;
        *description = tr("%1, %2").arg(c.model, bucketText(c.startNs));
    } else {
        *description = bucketText(c.startNs);
    }
    return true;
}

QString CostOverTimeChart::csv() const
{
    QString out = csvRow({QStringLiteral("bucket_start"), QStringLiteral("model"), QStringLiteral("spans"), QStringLiteral("cost_usd"),
                          QStringLiteral("priced_spans"), QStringLiteral("unpriced_spans")});
    if (!m_report)
        return out;
    for (const ModelBucket &mb : m_report->modelBuckets) {
        out += csvRow({isoTime(mb.startNs), mb.model, QString::number(mb.spans),
                       mb.pricedSpans > 0 ? QString::number(mb.costUsd, 'g', 12) : QString(), QString::number(mb.pricedSpans),
                       QString::number(mb.unpricedSpans)});
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
TokensOverTimeChart::TokensOverTimeChart(QWidget *parent)
    : DashboardChart(tr("Tokens over time"), parent)
{
    setObjectName(QStringLiteral("tokensChart"));
    placeLegendAbove(3);
    useTimeAxis();
    plot()->yAxis->setLabel(tr("Tokens"));
    plot()->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new CompactTicker));
}

void TokensOverTimeChart::setReport(std::shared_ptr<const StatsReport> report)
{
    m_report = std::move(report);
    QCustomPlot *p = plot();
    resetPlot(p);
    setLegendShown(false);
    m_starts.clear();
    m_cached = m_input = m_output = nullptr;
    if (!m_report) {
        restyleAndReplot();
        return;
    }
    const StatsReport &r = *m_report;
    m_cached = newBars(p->xAxis, p->yAxis, tr("cached input"), barWidth());
    m_input = newBars(p->xAxis, p->yAxis, tr("input"), barWidth());
    m_output = newBars(p->xAxis, p->yAxis, tr("output"), barWidth());
    m_input->moveAbove(m_cached);
    m_output->moveAbove(m_input);
    QVector<double> keys, cached, input, output;
    double top = 0;
    for (const TimeBucket &tb : r.buckets) {
        const qint64 c = std::min(tb.cachedTokens, tb.inputTokens);
        keys << bucketKey(tb.startNs);
        cached << double(c);
        input << double(tb.inputTokens - c);
        output << double(tb.outputTokens);
        m_starts << tb.startNs;
        top = std::max(top, double(tb.inputTokens + tb.outputTokens));
    }
    m_cached->setData(keys, cached, true);
    m_input->setData(keys, input, true);
    m_output->setData(keys, output, true);
    setLegendShown(!noTraces());
    p->yAxis->setTickLabels(top > 0);
    p->yAxis->setRange(0, top > 0 ? top * 1.12 : 1.0);
    setTimeRange();
    if (noTraces()) {
        setNote(noTracesText());
        addMessage(noTracesText());
    } else {
        setNote(tr("%1 in (%2 cached) · %3 out")
                    .arg(formatNumber(r.totals.inputTokens), formatNumber(r.totals.cachedTokens), formatNumber(r.totals.outputTokens)));
        if (r.totals.inputTokens + r.totals.outputTokens == 0)
            addMessage(tr("No span has token counts."));
    }
    restyleAndReplot();
}

void TokensOverTimeChart::restyle(const ChartStyle &s)
{
    restylePercentiles(plot(), s);
    if (!m_cached)
        return;
    styleBars(m_cached, s.cached);
    styleBars(m_input, s.input);
    styleBars(m_output, s.output);
}

QString TokensOverTimeChart::toolTipFor(const Hit &hit) const
{
    if (!hit.isValid() || !m_report || hit.index >= m_starts.size())
        return {};
    const TimeBucket &tb = m_report->buckets[hit.index];
    return bucketText(tb.startNs) + QLatin1Char('\n')
        + tr("input %1 (%2 cached) · output %3").arg(formatNumber(tb.inputTokens), formatNumber(tb.cachedTokens), formatNumber(tb.outputTokens))
        + QLatin1Char('\n') + tr("%n LLM call(s)", nullptr, int(tb.llmCalls));
}

bool TokensOverTimeChart::drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const
{
    if (!hit.isValid() || !m_report || hit.index >= m_starts.size())
        return false;
    *query = bucketQuery(m_starts[hit.index]);
    *description = bucketText(m_starts[hit.index]);
    return true;
}

QString TokensOverTimeChart::csv() const
{
    QString out = csvRow({QStringLiteral("bucket_start"), QStringLiteral("input_tokens"), QStringLiteral("cached_input_tokens"),
                          QStringLiteral("output_tokens"), QStringLiteral("llm_calls")});
    if (!m_report)
        return out;
    for (const TimeBucket &tb : m_report->buckets)
        out += csvRow({isoTime(tb.startNs), QString::number(tb.inputTokens), QString::number(tb.cachedTokens),
                       QString::number(tb.outputTokens), QString::number(tb.llmCalls)});
    return out;
}

// ------------------------------------------------------------------------------------------------
RequestsChart::RequestsChart(QWidget *parent)
    : DashboardChart(tr("Requests and errors"), parent)
{
    setObjectName(QStringLiteral("requestsChart"));
    placeLegendAbove(3);
    useTimeAxis();
    plot()->yAxis->setLabel(tr("Traces"));
    plot()->yAxis2->setVisible(true);
    plot()->yAxis2->setLabel(tr("Error rate"));
    plot()->yAxis2->setTicker(QSharedPointer<QCPAxisTicker>(new AffixTicker({}, QStringLiteral(" %"))));
    plot()->yAxis2->setRange(0, 100);
}

void RequestsChart::setReport(std::shared_ptr<const StatsReport> report)
{
    m_report = std::move(report);
    QCustomPlot *p = plot();
    resetPlot(p);
    setLegendShown(false);
    m_starts.clear();
    m_ok = m_errors = nullptr;
    m_rate = nullptr;
    if (!m_report) {
        restyleAndReplot();
        return;
    }
    const StatsReport &r = *m_report;
    m_ok = newBars(p->xAxis, p->yAxis, tr("traces"), barWidth());
    m_errors = newBars(p->xAxis, p->yAxis, tr("with errors"), barWidth());
    m_errors->moveAbove(m_ok);
    m_rate = new QCPGraph(p->xAxis, p->yAxis2);
    m_rate->setName(tr("error rate"));
    QVector<double> keys, ok, errors, rate;
    double top = 0;
    for (const TimeBucket &tb : r.buckets) {
        keys << bucketKey(tb.startNs);
        ok << double(tb.traces - tb.errorTraces);
        errors << double(tb.errorTraces);
        rate << tb.errorRate() * 100;
        m_starts << tb.startNs;
        top = std::max(top, double(tb.traces));
    }
    m_ok->setData(keys, ok, true);
    m_errors->setData(keys, errors, true);
    m_rate->setData(keys, rate, true);
    setLegendShown(!noTraces());
    p->yAxis->setTickLabels(top > 0);
    p->yAxis2->setTickLabels(top > 0);
    p->yAxis->setRange(0, top > 0 ? top * 1.15 : 1.0);
    p->yAxis2->setRange(0, 105);
    setTimeRange();
    const StatsTotals &t = r.totals;
    if (noTraces()) {
        addMessage(noTracesText());
        setNote(noTracesText());
    } else
        setNote(tr("%1 traces · %2 with errors (%3 %) · %4 LLM calls")
                .arg(formatNumber(t.traces), formatNumber(t.errorTraces),
                     QLocale().toString(t.traces > 0 ? 100.0 * double(t.errorTraces) / double(t.traces) : 0.0, 'f', 1),
                     formatNumber(t.llmCalls)));
    restyleAndReplot();
}

void RequestsChart::restyle(const ChartStyle &s)
{
    restylePercentiles(plot(), s);
    if (!m_ok)
        return;
    styleBars(m_ok, s.neutral);
    styleBars(m_errors, s.error);
    m_rate->setPen(QPen(s.error, 1.6));
    m_rate->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(s.error, 1.2), s.background, 5));
    m_rate->setAntialiased(true);
    m_rate->setAntialiasedScatters(true);
}

QString RequestsChart::toolTipFor(const Hit &hit) const
{
    if (!hit.isValid() || !m_report || hit.index >= m_starts.size())
        return {};
    const TimeBucket &tb = m_report->buckets[hit.index];
    return bucketText(tb.startNs) + QLatin1Char('\n')
        + tr("%n trace(s)", nullptr, int(tb.traces)) + tr(", %1 with errors (%2 %)").arg(formatNumber(tb.errorTraces),
                                                                                          QLocale().toString(tb.errorRate() * 100, 'f', 1));
}

bool RequestsChart::drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const
{
    if (!hit.isValid() || !m_report || hit.index >= m_starts.size())
        return false;
    const qint64 start = m_starts[hit.index];
    *query = bucketQuery(start);
    if (hit.plottable == m_ok) {
        query->status = TraceQuery::Status::Ok;
        *description = tr("without errors, %1").arg(bucketText(start));
    } else {
        query->status = TraceQuery::Status::Error;
        *description = tr("with errors, %1").arg(bucketText(start));
    }
    return true;
}

QString RequestsChart::csv() const
{
    QString out = csvRow({QStringLiteral("bucket_start"), QStringLiteral("traces"), QStringLiteral("error_traces"), QStringLiteral("error_rate"),
                          QStringLiteral("spans"), QStringLiteral("llm_calls")});
    if (!m_report)
        return out;
    for (const TimeBucket &tb : m_report->buckets)
        out += csvRow({isoTime(tb.startNs), QString::number(tb.traces), QString::number(tb.errorTraces),
                       QString::number(tb.errorRate(), 'g', 6), QString::number(tb.spans), QString::number(tb.llmCalls)});
    return out;
}

// ------------------------------------------------------------------------------------------------
DistributionChart::DistributionChart(Kind kind, QWidget *parent)
    : DashboardChart(kind == Kind::Latency ? tr("Latency distribution") : tr("Cost per trace"), parent)
    , m_kind(kind)
{
    setObjectName(kind == Kind::Latency ? QStringLiteral("latencyChart") : QStringLiteral("traceCostChart"));
    plot()->setAutoAddPlottableToLegend(false);
    plot()->yAxis->setLabel(kind == Kind::Latency ? tr("Count") : tr("Traces"));
    if (kind == Kind::Latency) {
        m_series = new QComboBox(this);
        m_series->setObjectName(QStringLiteral("latencySeries"));
        m_series->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        m_series->setToolTip(tr("Whose latency: whole traces, or the calls of one model"));
        controls()->addWidget(m_series);
        connect(m_series, &QComboBox::activated, this, [this] { Q_EMIT latencyModelChosen(m_series->currentData().toString()); });
    } else {
        plot()->xAxis->setLabel(tr("Cost per trace (USD)"));
        plot()->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new AffixTicker(QStringLiteral("$"), {})));
    }
}

QString DistributionChart::exportTitle() const
{
    if (m_kind != Kind::Latency)
        return title();
    return isModelSeries() ? tr("Latency of %1 calls").arg(m_report->latencyModel) : tr("Latency of traces, end to end");
}

bool DistributionChart::isModelSeries() const
{
    return m_kind == Kind::Latency && m_report && !m_report->latencyModel.isEmpty();
}

const Distribution *DistributionChart::distribution() const
{
    if (!m_report)
        return nullptr;
    if (m_kind == Kind::TraceCost)
        return &m_report->traceCost;
    return isModelSeries() ? &m_report->modelLatency : &m_report->traceLatency;
}

QString DistributionChart::valueText(double v) const
{
    if (m_kind == Kind::TraceCost)
        return formatUsd(v);
    return formatNs(v);
}

void DistributionChart::setReport(std::shared_ptr<const StatsReport> report)
{
    m_report = std::move(report);
    QCustomPlot *p = plot();
    resetPlot(p);
    setLegendShown(false);
    m_bars = nullptr;
    if (m_series) {
        const QSignalBlocker block(m_series);
        m_series->clear();
        m_series->addItem(tr("Traces, end to end"), QString());
        if (m_report) {
            for (const auto &[model, calls] : m_report->latencyModels)
                m_series->addItem(tr("%1 calls (%2)").arg(model, formatNumber(calls)), model);
            const int i = m_series->findData(m_report->latencyModel);
            if (i < 0 && !m_report->latencyModel.isEmpty())
                m_series->addItem(tr("%1 calls").arg(m_report->latencyModel), m_report->latencyModel);
            m_series->setCurrentIndex(std::max(0, m_series->findData(m_report->latencyModel)));
        }
    }
    const Distribution *d = distribution();
    if (!d) {
        setNote({});
        restyleAndReplot();
        return;
    }
    const double upper = d->binWidth * double(d->bins.size());
    if (m_kind == Kind::Latency) {
        const bool secondsAxis = upper >= 10e9;
        m_scale = secondsAxis ? 1e9 : 1e6;
        m_unit = secondsAxis ? tr(" s") : tr(" ms");
        p->xAxis->setLabel(secondsAxis ? tr("Duration (s)") : tr("Duration (ms)"));
    } else {
        m_scale = 1;
        m_unit.clear();
    }
    m_bars = newBars(p->xAxis, p->yAxis, title(), d->binWidth / m_scale * 0.92);
    QVector<double> keys, values;
    qint64 top = 0;
    for (int i = 0; i < d->bins.size(); ++i) {
        keys << (d->binStart(i) + d->binWidth / 2) / m_scale;
        values << double(d->bins[i]);
        top = std::max(top, d->bins[i]);
    }
    m_bars->setData(keys, values, true);
    addPercentileMarkers(p, *d, m_scale, chartStyle());
    p->yAxis->setRange(0, top > 0 ? double(top) * 1.15 : 1.0);
    setHomeRange(0, upper > 0 ? upper / m_scale : 1);
    p->xAxis->setTickLabels(!d->isEmpty());
    p->yAxis->setTickLabels(!d->isEmpty());

    const QString what = m_kind == Kind::TraceCost ? tr("traces with a cost") : isModelSeries() ? tr("calls") : tr("traces");
    QString note;
    bool warning = false;
    if (noTraces()) {
        note = noTracesText();
        addMessage(note);
    } else if (d->isEmpty()) {
        note = m_kind == Kind::TraceCost ? tr("No trace has a known cost.")
                                         : tr("No call of %1 in these traces has ended.").arg(m_report->latencyModel);
        addMessage(note);
    } else {
        note = tr("%1 %2 · p50 %3 · p90 %4 · p99 %5 · max %6")
                   .arg(formatNumber(d->count), what, valueText(d->p50), valueText(d->p90), valueText(d->p99), valueText(d->max));
        if (d->above > 0)
            note += tr(" · %1 above %2 not drawn").arg(formatNumber(d->above), valueText(upper));
    }
    if (m_kind == Kind::TraceCost && m_report->tracesWithUnpricedSpans > 0) {
        note += tr(" · ⚠ %n trace(s) with spans whose price is missing (their cost is a lower bound)", nullptr,
                   int(std::min<qint64>(m_report->tracesWithUnpricedSpans, INT_MAX)));
        warning = true;
    }
    setNote(note, warning);
    restyleAndReplot();
}

void DistributionChart::restyle(const ChartStyle &s)
{
    if (m_bars)
        styleBars(m_bars, m_kind == Kind::TraceCost ? s.series(2) : s.neutral);
    restylePercentiles(plot(), s);
}

QString DistributionChart::toolTipFor(const Hit &hit) const
{
    const Distribution *d = distribution();
    if (!hit.isValid() || hit.plottable != m_bars || !d || hit.index >= d->bins.size())
        return {};
    const qint64 n = d->bins[hit.index];
    const QString what = m_kind == Kind::TraceCost ? tr("trace(s)") : isModelSeries() ? tr("call(s)") : tr("trace(s)");
    return tr("%1 – %2: %3 %4 (%5 %)")
        .arg(valueText(d->binStart(hit.index)), valueText(d->binStart(hit.index + 1)), formatNumber(n), what,
             QLocale().toString(d->count > 0 ? 100.0 * double(n) / double(d->count) : 0.0, 'f', 1));
}

bool DistributionChart::drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const
{
    const Distribution *d = distribution();
    if (!hit.isValid() || hit.plottable != m_bars || !d || hit.index >= d->bins.size())
        return false;
    *query = filters();
    const double lo = d->binStart(hit.index), hi = d->binStart(hit.index + 1);
    if (m_kind == Kind::TraceCost) {
        query->minCostUsd = std::max(query->minCostUsd, lo);
        query->maxCostUsd = query->maxCostUsd > 0 ? std::min(query->maxCostUsd, hi) : hi;
        *description = tr("costing %1 – %2").arg(formatUsd(lo), formatUsd(hi));
    } else if (isModelSeries()) {
        // A trace with a call of at least `lo` lasts at least that long: every trace behind the bar
        // is in this list (with some whose slow call was another one).
        query->model = m_report->latencyModel;
        query->minDurationNs = std::max(query->minDurationNs, qint64(lo));
        *description = tr("using %1, lasting %2 or more").arg(m_report->latencyModel, formatNs(lo));
    } else {
        query->minDurationNs = std::max(query->minDurationNs, qint64(lo));
        query->maxDurationNs = query->maxDurationNs > 0 ? std::min(query->maxDurationNs, qint64(hi)) : qint64(hi);
        *description = tr("lasting %1 – %2").arg(formatNs(lo), formatNs(hi));
    }
    return true;
}

QString DistributionChart::csv() const
{
    const bool cost = m_kind == Kind::TraceCost;
    QString out = csvRow({QStringLiteral("series"), cost ? QStringLiteral("bin_start_usd") : QStringLiteral("bin_start_ns"),
                          cost ? QStringLiteral("bin_end_usd") : QStringLiteral("bin_end_ns"), QStringLiteral("count")});
    const Distribution *d = distribution();
    if (!d)
        return out;
    const QString series = cost ? QStringLiteral("trace cost") : isModelSeries() ? m_report->latencyModel : QStringLiteral("traces");
    auto num = [cost](double v) { return cost ? QString::number(v, 'g', 12) : QString::number(qint64(std::llround(v))); };
    for (int i = 0; i < d->bins.size(); ++i)
        out += csvRow({series, num(d->binStart(i)), num(d->binStart(i + 1)), QString::number(d->bins[i])});
    if (d->above > 0)
        out += csvRow({series, num(d->binStart(int(d->bins.size()))), QString(), QString::number(d->above)});
    return out;
}

// ------------------------------------------------------------------------------------------------
TopChart::TopChart(QWidget *parent)
    : DashboardChart(tr("Top 10"), parent)
    , m_dimension(new QComboBox(this))
    , m_ranking(new QComboBox(this))
{
    setObjectName(QStringLiteral("topChart"));
    m_dimension->setObjectName(QStringLiteral("topDimension"));
    m_dimension->addItem(tr("Span names"), int(StatsDimension::Name));
    m_dimension->addItem(tr("Models"), int(StatsDimension::Model));
    m_dimension->addItem(tr("Users"), int(StatsDimension::User));
    m_ranking->setObjectName(QStringLiteral("topRanking"));
    m_ranking->addItem(tr("by cost"), true);
    m_ranking->addItem(tr("by mean latency"), false);
    controls()->addWidget(m_dimension);
    controls()->addWidget(m_ranking);
    connect(m_dimension, &QComboBox::currentIndexChanged, this, [this] {
        rebuild();
        Q_EMIT dimensionChosen(dimension());
    });
    connect(m_ranking, &QComboBox::currentIndexChanged, this, &TopChart::rebuild);
    plot()->setAutoAddPlottableToLegend(false);
    // Not a time axis: nothing to pan.
    plot()->setInteractions(QCP::Interactions());
    plot()->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerText));
    plot()->yAxis->grid()->setVisible(false);
    plot()->setMinimumHeight(240);
}

QString TopChart::exportTitle() const
{
    return tr("Top 10 %1 %2").arg(m_dimension->currentText().toLower(), m_ranking->currentText());
}

StatsDimension TopChart::dimension() const
{
    return StatsDimension(m_dimension->currentData().toInt());
}

bool TopChart::byCost() const
{
    return m_ranking->currentData().toBool();
}

void TopChart::setReport(std::shared_ptr<const StatsReport> report)
{
    m_report = std::move(report);
    rebuild();
}

void TopChart::rebuild()
{
    QCustomPlot *p = plot();
    resetPlot(p);
    setLegendShown(false);
    m_bars = nullptr;
    m_groups.clear();
    if (!m_report) {
        restyleAndReplot();
        return;
    }
    const StatsReport &r = *m_report;
    const bool cost = byCost();
    switch (dimension()) {
    case StatsDimension::Model: m_groups = cost ? r.topModelsByCost : r.topModelsByLatency; break;
    case StatsDimension::User: m_groups = cost ? r.topUsersByCost : r.topUsersByLatency; break;
    default: m_groups = cost ? r.topNamesByCost : r.topNamesByLatency; break;
    }
    const int n = int(m_groups.size());
    double maxValue = 0;
    for (const StatsGroup &g : std::as_const(m_groups))
        maxValue = std::max(maxValue, cost ? g.costUsd : g.meanDurationNs());
    // Latency in ms or s, whichever reads better for the largest bar.
    const double scale = cost ? 1.0 : (maxValue >= 10e9 ? 1e9 : 1e6);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    QVector<double> keys, values;
    const QFontMetrics fm(chartStyle().font);
    for (int i = 0; i < n; ++i) {
        const StatsGroup &g = m_groups[i];
        // Rank 1 at the top: keys count down.
        const double key = n - i;
        keys.prepend(key);
        values.prepend(cost ? g.costUsd : g.meanDurationNs() / scale);
        QString label = g.key.isEmpty() ? tr("(none)") : g.key;
        ticker->addTick(key, fm.elidedText(label, Qt::ElideMiddle, fm.averageCharWidth() * 28));
        if (cost && !g.hasCost()) {
            auto *text = new QCPItemText(p);
            text->position->setCoords(0, key);
            text->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            text->setText(tr("  price missing (%n span(s))", nullptr, int(g.unpricedCount)));
            text->setProperty("role", QStringLiteral("warning"));
        }
    }
    p->yAxis->setTicker(ticker);
    p->yAxis->setRange(0.4, std::max(n, 1) + 0.6);
    p->yAxis->setRangeReversed(false);
    m_bars = newBars(p->yAxis, p->xAxis, title(), 0.7);
    m_bars->setData(keys, values, true);
    p->xAxis->setLabel(cost ? tr("Cost (USD)") : scale == 1e9 ? tr("Mean latency (s)") : tr("Mean latency (ms)"));
    if (cost)
        p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new AffixTicker(QStringLiteral("$"), {})));
    else
        p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    const double top = cost ? maxValue : maxValue / scale;
    setHomeRange(0, top > 0 ? top * 1.1 : 1.0);
    p->xAxis->setTickLabels(top > 0);
    if (noTraces()) {
        setNote(noTracesText());
        addMessage(noTracesText());
    } else if (n == 0) {
        setNote(cost ? tr("No span has a known cost or a missing price.") : tr("No span has ended."));
        addMessage(note());
    }
    else
        setNote({});
    restyleAndReplot();
}

void TopChart::restyle(const ChartStyle &s)
{
    if (m_bars) {
        const StatsDimension d = dimension();
        styleBars(m_bars, d == StatsDimension::Model ? s.series(0) : d == StatsDimension::User ? s.series(3) : s.series(4));
    }
    restylePercentiles(plot(), s);
}

QString TopChart::toolTipFor(const Hit &hit) const
{
    const int n = int(m_groups.size());
    if (!hit.isValid() || hit.plottable != m_bars || hit.index >= n)
        return {};
    const StatsGroup &g = m_groups[n - 1 - hit.index];
    const bool spans = dimension() != StatsDimension::User;
    QStringList lines;
    lines << (g.key.isEmpty() ? tr("(none)") : g.key);
    QString cost = g.hasCost() ? formatUsd(g.costUsd) : tr("no cost");
    if (g.unpricedCount > 0)
        cost += tr(" · ⚠ price missing for %n span(s)", nullptr, int(g.unpricedCount));
    lines << cost;
    lines << (spans ? tr("%n span(s)", nullptr, int(g.count)) : tr("%n trace(s)", nullptr, int(g.count)))
            + tr(", %1 with errors").arg(formatNumber(g.errors));
    if (g.endedCount > 0)
        lines << tr("mean %1 · max %2").arg(formatNs(g.meanDurationNs()), formatNs(double(g.maxDurationNs)));
    if (g.inputTokens + g.outputTokens > 0)
        lines << tr("tokens %1 in / %2 out").arg(formatNumber(g.inputTokens), formatNumber(g.outputTokens));
    return lines.join(QLatin1Char('\n'));
}

bool TopChart::drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const
{
    const int n = int(m_groups.size());
    if (!hit.isValid() || hit.plottable != m_bars || hit.index >= n)
        return false;
    const StatsGroup &g = m_groups[n - 1 - hit.index];
    if (g.key.isEmpty())
        return false;   // "no user" is not a filter the trace list has
    *query = filters();
    switch (dimension()) {
    case StatsDimension::Model:
        query->model = g.key;
        *description = tr("using %1").arg(g.key);
        break;
    case StatsDimension::User:
        query->userId = g.key;
        *description = tr("of user %1").arg(g.key);
        break;
    default:
        query->spanName = g.key;
        *description = tr("with a span “%1”").arg(g.key);
        break;
    }
    return true;
}

QString TopChart::csv() const
{
    QString out = csvRow({QStringLiteral("rank"), QStringLiteral("key"), QStringLiteral("count"), QStringLiteral("errors"),
                          QStringLiteral("cost_usd"), QStringLiteral("unpriced_spans"), QStringLiteral("mean_latency_ns"),
                          QStringLiteral("max_latency_ns"), QStringLiteral("input_tokens"), QStringLiteral("output_tokens"),
                          QStringLiteral("cached_input_tokens")});
    for (int i = 0; i < m_groups.size(); ++i) {
        const StatsGroup &g = m_groups[i];
        out += csvRow({QString::number(i + 1), g.key, QString::number(g.count), QString::number(g.errors),
                       g.hasCost() ? QString::number(g.costUsd, 'g', 12) : QString(), QString::number(g.unpricedCount),
                       g.endedCount > 0 ? QString::number(qint64(std::llround(g.meanDurationNs()))) : QString(),
                       g.endedCount > 0 ? QString::number(g.maxDurationNs) : QString(), QString::number(g.inputTokens),
                       QString::number(g.outputTokens), QString::number(g.cachedTokens)});
    }
    return out;
}

} // namespace spanscope
