#pragma once

#include "trace/trace.h"

#include <QList>

#include <span>
#include <vector>

namespace spanscope {

// A stretch of time during which `span` itself (not one of its children) holds up the trace.
struct CriticalSegment {
    int span = 0;
    qint64 startNs = 0;  // relative to the trace start, like WaterfallLayout
    qint64 endNs = 0;
    friend bool operator==(const CriticalSegment &, const CriticalSegment &) = default;
};

// The chain of spans that determines the trace's end-to-end latency.
//
// Walks back from the end of the root that ends last: within a span, the child that finishes last
// before the cursor is on the path, the walk descends into it and then continues in the parent
// from that child's start; time no child covers is the parent's own. Children are clamped to their
// parent and empty ones ignored. Roots (true roots and orphans) are treated as children of the
// whole trace, so after the last root the walk carries on with the roots that ended before it
// started. Unfinished spans run to the trace end. Iterative: deep trees are fine.
class CriticalPath
{
public:
    CriticalPath() = default;
    explicit CriticalPath(const Trace &trace);

    bool isEmpty() const { return m_spans.isEmpty(); }
    bool contains(int span) const { return span >= 0 && span < int(m_onPath.size()) && m_onPath[span]; }
    const QList<int> &spans() const { return m_spans; }                  // ascending tree index
    const QList<CriticalSegment> &segments() const { return m_segments; }  // in time order, disjoint
    std::span<const CriticalSegment> segmentsOf(int span) const;         // in time order; O(1)
    qint64 lengthNs() const { return m_lengthNs; }                        // sum of all segments

private:
    QList<int> m_spans;
    QList<CriticalSegment> m_segments;
    QList<CriticalSegment> m_bySpan;  // grouped by span, each group in time order
    std::vector<int> m_bySpanOffset;  // span i's segments: [m_bySpanOffset[i], m_bySpanOffset[i + 1])
    std::vector<bool> m_onPath;
    qint64 m_lengthNs = 0;
};

} // namespace spanscope
