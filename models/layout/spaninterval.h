#pragma once

#include "trace/trace.h"

#include <algorithm>

namespace spanscope {

// A span's place on the trace's time axis, in ns relative to the trace start. Every part of the
// layer (bars, critical path, self time) uses this one reading of the raw times so they agree.
struct SpanInterval {
    qint64 startNs = 0;
    qint64 endNs = 0;
    bool unfinished = false;  // no end time: runs to the trace end
    qint64 durationNs() const { return endNs - startNs; }
    friend bool operator==(const SpanInterval &, const SpanInterval &) = default;
};

// Unfinished spans (endNs == 0) run to the trace end; an end before the start (clock skew, bad
// data) collapses to a zero-length span at its start.
inline SpanInterval spanInterval(const Trace &trace, int index)
{
    const Span &s = trace.span(index);
    SpanInterval iv;
    iv.startNs = s.startNs - trace.startNs();
    if (!s.hasEnded()) {
        iv.unfinished = true;
        iv.endNs = std::max(trace.endNs() - trace.startNs(), iv.startNs);
    } else {
        iv.endNs = std::max(s.endNs - trace.startNs(), iv.startNs);
    }
    return iv;
}

} // namespace spanscope
