#include "criticalpath.h"

#include "spaninterval.h"

#include <algorithm>
#include <numeric>
#include <span>

namespace spanscope {

namespace {

struct Child {
    qint64 start;
    qint64 end;
    int span;
};

// One span being walked: its clamped interval, the cursor (`barrier`) moving back through it, and
// its children ordered by end, latest first. The cursor only moves back, so a child skipped once
// (ending after the cursor) never qualifies again and `next` only moves forward.
struct Frame {
    int span;  // -1: the whole trace, whose children are the roots
    qint64 start;
    qint64 barrier;
    std::vector<Child> kids;
    size_t next = 0;
};

std::vector<Child> clampedChildren(const Trace &trace, std::span<const int> children, qint64 lo, qint64 hi)
{
    std::vector<Child> kids;
    kids.reserve(children.size());
    for (int c : children) {
        const SpanInterval iv = spanInterval(trace, c);
        const qint64 s = std::clamp(iv.startNs, lo, hi);
        const qint64 e = std::clamp(iv.endNs, lo, hi);
        kids.push_back({s, e, c});
    }
    // Among children ending together, the longer one explains more of the parent's time.
    std::sort(kids.begin(), kids.end(), [](const Child &a, const Child &b) {
        if (a.end != b.end)
            return a.end > b.end;
        if (a.start != b.start)
            return a.start < b.start;
        return a.span < b.span;
    });
    return kids;
}

void dropEmpty(std::vector<Child> &kids)
{
    kids.erase(std::remove_if(kids.begin(), kids.end(), [](const Child &c) { return c.end <= c.start; }), kids.end());
}

} // namespace

CriticalPath::CriticalPath(const Trace &trace)
{
    const int n = trace.size();
    m_onPath.assign(n, false);
    if (n == 0)
        return;

    const qint64 duration = trace.durationNs();
    std::vector<Frame> stack;
    {
        Frame top{-1, 0, duration, clampedChildren(trace, trace.roots(), 0, duration)};
        // Instants contribute no time, except that a trace of instants still has its last root on
        // the path.
        const bool anyTime = std::any_of(top.kids.begin(), top.kids.end(), [](const Child &c) { return c.end > c.start; });
        if (anyTime)
            dropEmpty(top.kids);
        else
            top.kids.resize(1);
        stack.push_back(std::move(top));
    }

    std::vector<CriticalSegment> backwards;
    while (!stack.empty()) {
        Frame &f = stack.back();
        while (f.next < f.kids.size() && f.kids[f.next].end > f.barrier)
            ++f.next;
        if (f.next < f.kids.size()) {
            const Child c = f.kids[f.next++];
            if (f.span >= 0 && f.barrier > c.end)
                backwards.push_back({f.span, c.end, f.barrier});
            f.barrier = c.start;
            m_onPath[c.span] = true;
            std::vector<Child> kids = clampedChildren(trace, trace.children(c.span), c.start, c.end);
            dropEmpty(kids);
            stack.push_back({c.span, c.start, c.end, std::move(kids)});  // invalidates f
        } else {
            if (f.span >= 0 && f.barrier > f.start)
                backwards.push_back({f.span, f.start, f.barrier});
            stack.pop_back();
        }
    }

    m_segments = QList<CriticalSegment>(backwards.rbegin(), backwards.rend());
    for (const CriticalSegment &s : m_segments)
        m_lengthNs += s.endNs - s.startNs;
    // Counting sort by span: stable, so each span's segments stay in time order.
    m_bySpanOffset.assign(n + 1, 0);
    for (const CriticalSegment &s : m_segments)
        ++m_bySpanOffset[s.span + 1];
    std::partial_sum(m_bySpanOffset.begin(), m_bySpanOffset.end(), m_bySpanOffset.begin());
    m_bySpan.resize(m_segments.size());
    {
        std::vector<int> fill(m_bySpanOffset.begin(), m_bySpanOffset.end() - 1);
        for (const CriticalSegment &s : m_segments)
            m_bySpan[fill[s.span]++] = s;
    }
    for (int i = 0; i < n; ++i) {
        if (m_onPath[i])
            m_spans.push_back(i);
    }
}

std::span<const CriticalSegment> CriticalPath::segmentsOf(int span) const
{
    if (span < 0 || span + 1 >= int(m_bySpanOffset.size()))
        return {};
    const CriticalSegment *data = m_bySpan.constData();
    return {data + m_bySpanOffset[span], data + m_bySpanOffset[span + 1]};
}

} // namespace spanscope
