#pragma once

#include "spaninterval.h"
#include "timescale.h"
#include "trace/trace.h"

#include <QList>

#include <vector>

namespace spanscope {

// One bar of the waterfall: a visible row's span, in pixels of a TimeScale.
struct WaterfallBar {
    int row = 0;    // visible row
    int span = 0;   // tree index
    double x0 = 0;  // clamped to [0, width]; x1 - x0 >= 1
    double x1 = 0;
    bool clippedStart = false;  // the span goes on past the left edge
    bool clippedEnd = false;    // … past the right edge
    friend bool operator==(const WaterfallBar &, const WaterfallBar &) = default;
};

// A bar of the one-row-per-depth (flame) mode: one span, or a run of spans too narrow to draw
// one by one, folded into a block.
struct FoldedBar {
    double x0 = 0;  // clamped to [0, width]; x1 - x0 >= 1
    double x1 = 0;
    int firstSpan = 0;  // the span when count == 1; the earliest-starting one of a block
    // Spans folded in: a run in start order at this depth. Where spans at the depth overlap, a block
    // starting left of the window may also hold a few spans that end just before the window.
    int count = 1;
    int errorCount = 0;
    bool isFolded() const { return count > 1; }
    friend bool operator==(const FoldedBar &, const FoldedBar &) = default;
};

// One pixel column of the overview (minimap) strip.
struct OverviewColumn {
    int count = 0;      // spans running at some time inside the column
    int maxDepth = -1;  // deepest of them, -1 when none
    bool hasError = false;
    friend bool operator==(const OverviewColumn &, const OverviewColumn &) = default;
};

// Everything the waterfall paints, as flat arrays indexed by tree index (Trace order), plus the
// rows left visible by collapsed nodes. Built once per trace; collapsing and expanding are the
// only changes. Not thread-safe: owned and used by the GUI thread (overview() caches).
class WaterfallLayout
{
public:
    WaterfallLayout() = default;
    explicit WaterfallLayout(const Trace &trace);

    int spanCount() const { return int(m_start.size()); }
    qint64 durationNs() const { return m_durationNs; }  // the time axis is [0, durationNs()]
    int maxDepth() const { return int(m_depthOffset.size()) - 2; }  // -1 for an empty trace

    qint64 startNs(int span) const { return m_start[span]; }  // relative to the trace start
    qint64 endNs(int span) const { return m_end[span]; }
    int depth(int span) const { return m_depth[span]; }
    int parent(int span) const { return m_parent[span]; }
    int subtreeEnd(int span) const { return m_subtreeEnd[span]; }  // one past the last descendant
    bool hasChildren(int span) const { return m_subtreeEnd[span] > span + 1; }
    SpanKind kind(int span) const { return m_kind[span]; }
    bool isError(int span) const { return m_flags[span] & ErrorFlag; }
    bool isUnfinished(int span) const { return m_flags[span] & UnfinishedFlag; }

    // Visible rows: tree order minus the descendants of collapsed nodes. Changing one node costs
    // one splice of the row array (a memmove) plus the rows that appear.
    int visibleRowCount() const { return int(m_visible.size()); }
    int spanAtVisibleRow(int row) const { return m_visible[row]; }
    int visibleRowOf(int span) const;  // -1 when hidden under a collapsed ancestor
    const std::vector<int> &visibleSpans() const { return m_visible; }  // ascending tree indexes

    bool isCollapsed(int span) const { return m_collapsed[span]; }
    void setCollapsed(int span, bool collapsed);  // a node without children never collapses
    void expandTo(int span);                      // expands every ancestor
    void expandAll();
    void collapseAll();
    void collapseFromDepth(int depth);            // nodes at depth >= depth collapse, the others expand
    // Bumped by every change of the visible rows, for views that cache painted rows.
    quint64 rowsRevision() const { return m_rowsRevision; }

    // Bars of visible rows [firstRow, lastRow) that reach into the scale's window, in row order.
    QList<WaterfallBar> bars(int firstRow, int lastRow, const TimeScale &scale) const;

    // All spans at one depth in start order, runs narrower than minPx merged into counted blocks.
    // Cost grows with the blocks drawn (about width / minPx) times log n, not with the spans; only
    // where a long span overlaps a run at the same depth does it walk the run span by span.
    QList<FoldedBar> foldedBars(int depth, const TimeScale &scale, double minPx = 3) const;
    // The latest-starting span at `depth` running at tNs (for hover in flame mode), or -1.
    int spanAt(int depth, double tNs) const;
    int spanCountAtDepth(int depth) const;

    // All spans bucketed into `width` columns spanning the whole trace. O(n) on first use of a
    // width, then cached.
    const QList<OverviewColumn> &overview(int width) const;

private:
    enum : quint8 { ErrorFlag = 1, UnfinishedFlag = 2 };

    void rebuildVisible();
    void appendVisibleSubtree(int span, std::vector<int> &out) const;

    qint64 m_durationNs = 0;
    std::vector<qint64> m_start;
    std::vector<qint64> m_end;
    std::vector<int> m_depth;
    std::vector<int> m_parent;
    std::vector<int> m_subtreeEnd;
    std::vector<SpanKind> m_kind;
    std::vector<quint8> m_flags;

    // Spans grouped by depth ([m_depthOffset[d], m_depthOffset[d + 1])), each group sorted by
    // start. m_byDepthMaxEnd is the running maximum of the ends inside a group: monotonic, so it
    // can be binary-searched although the ends themselves are not sorted (parallel spans).
    std::vector<int> m_depthOffset{0};
    std::vector<int> m_byDepthSpan;
    std::vector<qint64> m_byDepthStart;
    std::vector<qint64> m_byDepthEnd;
    std::vector<qint64> m_byDepthMaxEnd;
    std::vector<int> m_byDepthErrorsBefore{0};  // errors in [0, k) of the flat by-depth order; size n + 1

    std::vector<bool> m_collapsed;
    std::vector<int> m_visible;
    quint64 m_rowsRevision = 0;

    mutable int m_overviewWidth = -1;
    mutable QList<OverviewColumn> m_overview;
};

} // namespace spanscope
