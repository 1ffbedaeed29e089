#pragma once

#include "store/tracestore.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace spanscope {

// One set of values (latencies in ns, costs in USD): count, nearest-rank percentiles, histogram.
struct Distribution {
    qint64 count = 0;
    double min = 0;
    double max = 0;
    double mean = 0;
    // Nearest rank: the value at rank ceil(p / 100 × count) of the values in ascending order.
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    // Bins [i × binWidth, (i + 1) × binWidth) from 0; values at or above bins.size() × binWidth are
    // counted in `above` (a long tail would squeeze everything else into the first bin).
    double binWidth = 0;
    QList<qint64> bins;
    qint64 above = 0;
    bool isEmpty() const { return count == 0; }
    double binStart(int i) const { return i * binWidth; }
    friend bool operator==(const Distribution &, const Distribution &) = default;
};

// What the breakdowns (top N, `stats --by`) group by.
enum class StatsDimension { None, Model, Name, Kind, User, Service };

// Sums over one group. For span dimensions (model, name, kind) counts are spans; for trace
// dimensions (user, service: the trace's root service) counts are traces, while tokens, cost and
// the price-missing count still add up the spans of those traces.
struct StatsGroup {
    QString key;                  // the model, span name, kind name, user id or service; "" = none
    qint64 count = 0;
    qint64 errors = 0;            // error spans / traces with an error span
    qint64 inputTokens = 0;       // sums of the counts given (cached input is part of input)
    qint64 outputTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0;           // reported + computed; only meaningful when pricedCount > 0
    double computedCostUsd = 0;
    qint64 pricedCount = 0;       // spans with a cost
    qint64 unpricedCount = 0;     // spans with a model and tokens but no price ("price missing")
    qint64 endedCount = 0;        // spans / traces whose duration is known
    qint64 totalDurationNs = 0;
    qint64 maxDurationNs = 0;
    Distribution latency;         // with percentiles only in StatsReport::groups (no histogram)
    double meanDurationNs() const { return endedCount > 0 ? double(totalDurationNs) / double(endedCount) : 0; }
    bool hasCost() const { return pricedCount > 0; }
    friend bool operator==(const StatsGroup &, const StatsGroup &) = default;
};

// One time bucket [startNs, startNs + bucketNs) of trace start times.
struct TimeBucket {
    qint64 startNs = 0;
    qint64 traces = 0;
    qint64 errorTraces = 0;       // traces with at least one error span
    qint64 spans = 0;
    qint64 llmCalls = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0;
    qint64 pricedSpans = 0;
    qint64 unpricedSpans = 0;
    double errorRate() const { return traces > 0 ? double(errorTraces) / double(traces) : 0; }
    friend bool operator==(const TimeBucket &, const TimeBucket &) = default;
};

// One model's share of a time bucket ("" = spans without a model that have tokens or a cost).
struct ModelBucket {
    qint64 startNs = 0;
    QString model;
    qint64 spans = 0;
    double costUsd = 0;
    qint64 pricedSpans = 0;
    qint64 unpricedSpans = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedTokens = 0;
    friend bool operator==(const ModelBucket &, const ModelBucket &) = default;
};

struct StatsTotals {
    qint64 traces = 0;
    qint64 errorTraces = 0;
    qint64 spans = 0;
    qint64 errorSpans = 0;
    qint64 llmCalls = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0;
    double computedCostUsd = 0;
    qint64 pricedSpans = 0;
    qint64 unpricedSpans = 0;
    QStringList unpricedModels;   // sorted
    qint64 firstStartNs = 0;      // earliest and latest trace start (0 without traces)
    qint64 lastStartNs = 0;
    friend bool operator==(const StatsTotals &, const StatsTotals &) = default;
};

struct StatsRequest {
    TraceQuery filter;            // which traces (sort, limit and offset are ignored)
    qint64 bucketNs = 0;          // 0: minute, hour or day by the range (WorkspaceStats::autoBucket)
    qint64 utcOffsetSeconds = 0;  // buckets start at multiples of bucketNs in this offset from UTC
    qint64 nowNs = 0;             // end of an open time range that has a start (0: the latest trace)
    int topCount = 10;
    StatsDimension topDimension = StatsDimension::None;   // Name, Model or User only; None: all three
    int histogramBins = 40;
    QString latencyModel;         // the model whose call latencies fill StatsReport::modelLatency
    StatsDimension groupBy = StatsDimension::None;   // StatsReport::groups, with percentiles
    enum Part : unsigned {
        Totals = 0x01,
        Timeline = 0x02,
        TraceLatency = 0x04,
        ModelLatency = 0x08,
        TraceCost = 0x10,
        Top = 0x20,
        Groups = 0x40,
        All = 0xff,
    };
    unsigned parts = All;
};

struct StatsReport {
    StatsRequest request;
    QString error;                // empty on success

    StatsTotals totals;

    // Timeline: buckets of trace start times from rangeStartNs to rangeEndNs (whole buckets).
    qint64 bucketNs = 0;
    qint64 rangeStartNs = 0;
    qint64 rangeEndNs = 0;
    QList<TimeBucket> buckets;            // non-empty buckets only, ascending
    QList<ModelBucket> modelBuckets;      // ascending by start, then model
    QStringList models;                   // models of modelBuckets, highest cost first

    Distribution traceLatency;            // trace durations (end to end)
    QString latencyModel;                 // request.latencyModel
    Distribution modelLatency;            // durations of that model's spans that ended
    QList<std::pair<QString, qint64>> latencyModels;   // models with ended spans, most first
    Distribution traceCost;               // cost per trace, over traces with any cost
    qint64 tracesWithUnpricedSpans = 0;   // their cost (if any) is a lower bound

    // Top N by cost (highest first; groups with no cost but missing prices after them) and by
    // mean latency (slowest first). Span names and models sum spans; users sum traces.
    QList<StatsGroup> topNamesByCost, topNamesByLatency;
    QList<StatsGroup> topModelsByCost, topModelsByLatency;
    QList<StatsGroup> topUsersByCost, topUsersByLatency;

    QList<StatsGroup> groups;             // request.groupBy: every group, highest cost first

    QList<std::pair<QString, double>> timingsMs;   // what each part took (benchmarks)
};

// Aggregates over the traces a TraceQuery selects, all in SQL on the store's connection (call it
// on the thread that owns the store). Time buckets are by trace start, the trace list's notion of
// time, so a bucket's traces are exactly the list filtered to its time range.
class WorkspaceStats
{
public:
    static StatsReport compute(const TraceStore &store, const StatsRequest &request);

    static constexpr qint64 Minute = 60'000'000'000LL;
    static constexpr qint64 Hour = 60 * Minute;
    static constexpr qint64 Day = 24 * Hour;
    static constexpr int MaxBuckets = 2000;
    // Minute up to 6 hours, hour up to 10 days, else day (whole days, at most MaxBuckets buckets).
    static qint64 autoBucket(qint64 rangeNs);
    // Start of the bucket holding `ns`.
    static qint64 bucketStart(qint64 ns, qint64 bucketNs, qint64 utcOffsetSeconds);
    // A bin width of 1, 2, 2.5 or 5 × 10^k giving about `bins` bins up to `upper`.
    static double niceBinWidth(double upper, int bins, bool integral);

    static QString dimensionName(StatsDimension dimension);   // "model", "name", …
    static std::optional<StatsDimension> dimensionFromName(QStringView name);
};

} // namespace spanscope
