#pragma once

#include "trace/trace.h"

#include <QList>

namespace spanscope {

// Time, tokens and cost of one group of spans. Self time is a span's duration minus the union of
// its children's intervals clipped to it; it adds up to the work done at that level, while total
// time double-counts nesting (an agent's total includes its LLM calls).
struct StatsBucket {
    int spans = 0;
    int errors = 0;
    qint64 totalNs = 0;
    qint64 selfNs = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double costUsd = 0;  // reported + computed
    friend bool operator==(const StatsBucket &, const StatsBucket &) = default;
};

struct KindStats {
    SpanKind kind = SpanKind::Span;
    StatsBucket stats;
    friend bool operator==(const KindStats &, const KindStats &) = default;
};

struct ModelStats {
    QString model;  // Span::model(): the answering model if known, else the requested one
    StatsBucket stats;
    friend bool operator==(const ModelStats &, const ModelStats &) = default;
};

// What the trace header shows, and the breakdowns behind it.
struct TraceStats {
    // Totals computed by summarize(), so the header and the trace list always agree.
    TraceSummary totals;
    QList<KindStats> byKind;    // kinds that occur, in SpanKind order
    QList<ModelStats> byModel;  // spans with a model, by model name

    static TraceStats compute(const Trace &trace);
    // Self time of every span, indexed by tree index. Unfinished spans run to the trace end.
    static QList<qint64> selfTimes(const Trace &trace);
};

} // namespace spanscope
