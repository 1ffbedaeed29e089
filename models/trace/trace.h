#pragma once

#include "span.h"

#include <QHash>
#include <QStringList>

#include <memory>
#include <span>
#include <vector>

namespace spanscope {

// Per-trace rollup, as the trace list shows it. Kept by the store in its own table.
struct TraceSummary {
    QString traceId;
    QString name;            // name of the earliest root span
    QString serviceName;     // service of that root
    qint64 startNs = 0;
    qint64 endNs = 0;
    qint64 durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
    int spanCount = 0;
    int errorCount = 0;
    int llmCount = 0;
    int toolCount = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    double costUsd = 0;          // reported + computed
    double computedCostUsd = 0;  // the part computed from prices
    int pricedSpanCount = 0;     // spans with any cost
    QStringList models;          // distinct, sorted
    QStringList unpricedModels;  // models of LLM spans that had tokens but no cost
    QStringList services;
    QString sessionId;
    QString userId;
    friend bool operator==(const TraceSummary &, const TraceSummary &) = default;
};

// Compute the rollup of a set of spans of one trace (the store keeps the same numbers in SQL).
TraceSummary summarize(const SpanList &spans);

// A trace's spans with their tree. Spans whose parent never arrived stay visible as extra roots.
class Trace
{
public:
    Trace() = default;
    explicit Trace(SpanList spans);

    const QString &traceId() const { return m_traceId; }
    const SpanList &spans() const { return m_spans; }   // in tree order (see below)
    int size() const { return int(m_spans.size()); }
    bool isEmpty() const { return m_spans.isEmpty(); }
    const Span &span(int index) const { return m_spans.at(index); }

    // Tree order: each parent before its children, siblings and roots by start time (then span
    // id). Parallel arrays index the same positions as spans().
    int parentIndex(int index) const { return m_parent.at(index); }   // -1 for a root or orphan
    int depth(int index) const { return m_depth.at(index); }
    std::span<const int> children(int index) const
    {
        const int begin = m_childOffsets.at(index);
        return {m_childList.constData() + begin, size_t(m_childOffsets.at(index + 1) - begin)};
    }
    std::span<const int> roots() const { return {m_roots.constData(), size_t(m_roots.size())}; }
    bool isOrphan(int index) const;  // has a parent id that is not in the trace
    int indexOf(QStringView spanId) const;  // -1 when no span of the trace has that id
    int indexOf(const QString &spanId) const { return indexOf(QStringView(spanId)); }
    int subtreeEnd(int index) const;  // one past the last descendant of `index` in tree order

    qint64 startNs() const { return m_startNs; }
    qint64 endNs() const { return m_endNs; }
    qint64 durationNs() const { return m_endNs > m_startNs ? m_endNs - m_startNs : 0; }

private:
    QString m_traceId;
    SpanList m_spans;
    QList<int> m_parent;
    QList<int> m_depth;
    QList<int> m_childOffsets;   // children of i are m_childList[m_childOffsets[i] .. m_childOffsets[i + 1])
    QList<int> m_childList;
    QList<int> m_roots;
    // Span id -> position: open addressing on the ids' hashes (m_idSlots.size() is a power of two,
    // at least twice the span count). A flat array of a few MB where a QHash allocates a node per
    // span and chases pointers on every lookup.
    struct IdSlot {
        size_t hash = 0;
        int position = -1;  // -1: empty
    };
    std::vector<IdSlot> m_idSlots;
    // The slot of `table` holding `id` (hash h; positions index `spans`), else the empty slot
    // where it would go.
    static size_t findSlot(const std::vector<IdSlot> &table, const SpanList &spans, QStringView id, size_t h);
    qint64 m_startNs = 0;
    qint64 m_endNs = 0;
};

// A shared trace whose last owner does not pay for its destruction: one of LargeTraceSpans spans or
// more is destroyed on a pool thread (about 0.4 µs a span: 40 ms at 100k spans, half a second at
// 1M), so the GUI thread that drops it when the next trace opens does not stall.
constexpr int LargeTraceSpans = 10000;
std::shared_ptr<const Trace> makeSharedTrace(Trace trace);

// Indented text dump of a trace ("name [kind]" per line, two spaces per level) for tests and logs.
QStringList dumpTree(const Trace &trace);

} // namespace spanscope
