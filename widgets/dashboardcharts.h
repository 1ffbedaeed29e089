#pragma once

#include "chartpanel.h"
#include "store/workspacestats.h"

#include <memory>

class QCPBars;
class QCPGraph;
class QComboBox;

namespace spanscope {

// The dashboard's charts. Each takes the whole StatsReport (shared, immutable) and the filters it
// was computed for, so a click can narrow those filters to the traces behind a bar.
class DashboardChart : public ChartPanel
{
    Q_OBJECT
public:
    using ChartPanel::ChartPanel;
    virtual void setReport(std::shared_ptr<const StatsReport> report) = 0;
    std::shared_ptr<const StatsReport> report() const { return m_report; }

protected:
    TraceQuery filters() const { return m_report ? m_report->request.filter : TraceQuery{}; }
    // The filters narrowed to one time bucket, and a description of that bucket.
    TraceQuery bucketQuery(qint64 startNs) const;
    QString bucketText(qint64 startNs) const;
    // Bucket keys are centres in seconds (the date-time ticker's unit); bars fill most of a bucket.
    double bucketKey(qint64 startNs) const;
    double barWidth() const;
    void setTimeRange();
    static void addPercentileMarkers(QCustomPlot *plot, const Distribution &d, double scale, const ChartStyle &style);
    // The report selects no trace at all (as opposed to traces without this chart's data).
    bool noTraces() const { return m_report && m_report->error.isEmpty() && m_report->totals.traces == 0; }
    static QString noTracesText();
    // A line of text in the middle of the plot (empty states).
    void addMessage(const QString &text);

    std::shared_ptr<const StatsReport> m_report;
};

// Cost over time, stacked by model; buckets whose calls have no price carry a warning marker
// (their cost is missing, not $0).
class CostOverTimeChart : public DashboardChart
{
    Q_OBJECT
public:
    explicit CostOverTimeChart(QWidget *parent = nullptr);
    void setReport(std::shared_ptr<const StatsReport> report) override;
    QString toolTipFor(const Hit &hit) const override;
    bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const override;
    QString csv() const override;
    static constexpr int MaxModels = 8;   // the rest are stacked as "other models"

    QList<QCPBars *> bars() const { return m_bars; }
    QCPGraph *missingPriceMarkers() const { return m_missing; }

protected:
    void restyle(const ChartStyle &style) override;

private:
    QList<QCPBars *> m_bars;
    QStringList m_barModels;                 // per bar series; "" = no model, "\x1f" = other models
    QList<QList<ModelBucket>> m_barCells;    // per bar series, in data order
    QCPGraph *m_missing = nullptr;
    QList<qint64> m_missingStarts;           // per marker, the bucket start
};

// Tokens over time: cached input, the rest of the input and output, stacked.
class TokensOverTimeChart : public DashboardChart
{
    Q_OBJECT
public:
    explicit TokensOverTimeChart(QWidget *parent = nullptr);
    void setReport(std::shared_ptr<const StatsReport> report) override;
    QString toolTipFor(const Hit &hit) const override;
    bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const override;
    QString csv() const override;
    QList<QCPBars *> bars() const { return {m_cached, m_input, m_output}; }

protected:
    void restyle(const ChartStyle &style) override;

private:
    QCPBars *m_cached = nullptr;
    QCPBars *m_input = nullptr;
    QCPBars *m_output = nullptr;
    QList<qint64> m_starts;   // bucket start per data index (the same for all three)
};

// Requests (traces) over time, those with errors stacked on top, and the error rate (right axis).
class RequestsChart : public DashboardChart
{
    Q_OBJECT
public:
    explicit RequestsChart(QWidget *parent = nullptr);
    void setReport(std::shared_ptr<const StatsReport> report) override;
    QString toolTipFor(const Hit &hit) const override;
    bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const override;
    QString csv() const override;
    QCPBars *okBars() const { return m_ok; }
    QCPBars *errorBars() const { return m_errors; }
    QCPGraph *errorRate() const { return m_rate; }

protected:
    void restyle(const ChartStyle &style) override;

private:
    QCPBars *m_ok = nullptr;
    QCPBars *m_errors = nullptr;
    QCPGraph *m_rate = nullptr;
    QList<qint64> m_starts;
};

// A histogram with p50 / p90 / p99 markers: trace latency (or one model's call latency, chosen
// in the chart), or cost per trace.
class DistributionChart : public DashboardChart
{
    Q_OBJECT
public:
    enum class Kind { Latency, TraceCost };
    explicit DistributionChart(Kind kind, QWidget *parent = nullptr);
    void setReport(std::shared_ptr<const StatsReport> report) override;
    QString toolTipFor(const Hit &hit) const override;
    bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const override;
    QString csv() const override;
    QCPBars *bars() const { return m_bars; }
    QString exportTitle() const override;
    QComboBox *seriesChooser() const { return m_series; }   // latency only: traces or a model
    const Distribution *distribution() const;
    double unitScale() const { return m_scale; }              // value units per bar-axis unit

Q_SIGNALS:
    void latencyModelChosen(const QString &model);           // "" = traces end to end

protected:
    void restyle(const ChartStyle &style) override;

private:
    QString valueText(double v) const;
    bool isModelSeries() const;

    Kind m_kind;
    QComboBox *m_series = nullptr;
    QCPBars *m_bars = nullptr;
    double m_scale = 1;      // distribution units per axis unit (1e6: ms, 1e9: s)
    QString m_unit;
};

// The top N span names, models or users by cost or by mean latency, as horizontal bars.
class TopChart : public DashboardChart
{
    Q_OBJECT
public:
    explicit TopChart(QWidget *parent = nullptr);
    void setReport(std::shared_ptr<const StatsReport> report) override;
    QString toolTipFor(const Hit &hit) const override;
    bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const override;
    QString csv() const override;
    QCPBars *bars() const { return m_bars; }
    QString exportTitle() const override;
    QComboBox *dimensionChooser() const { return m_dimension; }
    QComboBox *rankingChooser() const { return m_ranking; }
    const QList<StatsGroup> &groups() const { return m_groups; }   // as shown, top first
    StatsDimension dimension() const;
    bool byCost() const;

Q_SIGNALS:
    void dimensionChosen(spanscope::StatsDimension dimension);

protected:
    void restyle(const ChartStyle &style) override;

private:
    void rebuild();

    QComboBox *m_dimension;
    QComboBox *m_ranking;
    QCPBars *m_bars = nullptr;
    QList<StatsGroup> m_groups;
};

} // namespace spanscope
