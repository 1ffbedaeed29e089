#include "waterfalllayout.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace spanscope {

namespace {

// Clamps [x0, x1] to [0, width] and widens it to at least one pixel, so zero-length and
// sub-pixel spans stay visible and clickable.
void clampToWidget(double &x0, double &x1, double width)
{
    x0 = std::max(x0, 0.0);
    x1 = std::min(x1, width);
    if (x1 - x0 < 1) {
        x1 = std::min(x0 + 1, width);
        x0 = std::max(x1 - 1, 0.0);
    }
}

struct StartKey {
    qint64 start;
    int span;
    bool operator<(const StartKey &o) const { return start != o.start ? start < o.start : span < o.span; }
};

} // namespace

WaterfallLayout::WaterfallLayout(const Trace &trace)
{
    const int n = trace.size();
    m_durationNs = trace.durationNs();
    m_start.resize(n);
    m_end.resize(n);
    m_depth.resize(n);
    m_parent.resize(n);
    m_kind.resize(n);
    m_flags.resize(n);
    int maxDepth = -1;
    for (int i = 0; i < n; ++i) {
        const SpanInterval iv = spanInterval(trace, i);
        m_start[i] = iv.startNs;
        m_end[i] = iv.endNs;
        m_depth[i] = trace.depth(i);
        m_parent[i] = trace.parentIndex(i);
        const Span &s = trace.span(i);
        m_kind[i] = s.kind;
        m_flags[i] = quint8((s.isError() ? ErrorFlag : 0) | (iv.unfinished ? UnfinishedFlag : 0));
        maxDepth = std::max(maxDepth, m_depth[i]);
    }

    // Children follow their parent in tree order, so a reverse pass sees every subtree complete
    // before its root.
    std::vector<int> size(n, 1);
    for (int i = n - 1; i >= 0; --i) {
        if (m_parent[i] >= 0)
            size[m_parent[i]] += size[i];
    }
    m_subtreeEnd.resize(n);
    for (int i = 0; i < n; ++i)
        m_subtreeEnd[i] = i + size[i];

    // Group by depth (counting sort keeps tree order), then order each group by start.
    m_depthOffset.assign(maxDepth + 2, 0);
    for (int i = 0; i < n; ++i)
        ++m_depthOffset[m_depth[i] + 1];
    std::partial_sum(m_depthOffset.begin(), m_depthOffset.end(), m_depthOffset.begin());
    std::vector<StartKey> keys(n);
    {
        std::vector<int> fill(m_depthOffset.begin(), m_depthOffset.end() - 1);
        for (int i = 0; i < n; ++i)
            keys[fill[m_depth[i]]++] = {m_start[i], i};
    }
    for (int d = 0; d <= maxDepth; ++d) {
        const auto b = keys.begin() + m_depthOffset[d];
        const auto e = keys.begin() + m_depthOffset[d + 1];
        // Tree order is usually start order already within a depth (sequential agent steps).
        if (!std::is_sorted(b, e))
            std::sort(b, e);
    }
    m_byDepthSpan.resize(n);
    m_byDepthStart.resize(n);
    m_byDepthEnd.resize(n);
    m_byDepthMaxEnd.resize(n);
    m_byDepthErrorsBefore.assign(n + 1, 0);
    for (int d = 0; d <= maxDepth; ++d) {
        qint64 runningMax = std::numeric_limits<qint64>::min();
        for (int k = m_depthOffset[d]; k < m_depthOffset[d + 1]; ++k) {
            const int span = keys[k].span;
            m_byDepthSpan[k] = span;
            m_byDepthStart[k] = m_start[span];
            m_byDepthEnd[k] = m_end[span];
            runningMax = std::max(runningMax, m_end[span]);
            m_byDepthMaxEnd[k] = runningMax;
            m_byDepthErrorsBefore[k + 1] = m_byDepthErrorsBefore[k] + (isError(span) ? 1 : 0);
        }
    }

    m_collapsed.assign(n, false);
    m_visible.resize(n);
    std::iota(m_visible.begin(), m_visible.end(), 0);
}

int WaterfallLayout::visibleRowOf(int span) const
{
    if (span < 0 || span >= spanCount())
        return -1;
    const auto it = std::lower_bound(m_visible.begin(), m_visible.end(), span);
    return it != m_visible.end() && *it == span ? int(it - m_visible.begin()) : -1;
}

void WaterfallLayout::appendVisibleSubtree(int span, std::vector<int> &out) const
{
    const int end = m_subtreeEnd[span];
    for (int j = span + 1; j < end;) {
        out.push_back(j);
        j = m_collapsed[j] ? m_subtreeEnd[j] : j + 1;
    }
}

void WaterfallLayout::rebuildVisible()
{
    m_visible.clear();
    const int n = spanCount();
    for (int j = 0; j < n;) {
        m_visible.push_back(j);
        j = m_collapsed[j] ? m_subtreeEnd[j] : j + 1;
    }
    ++m_rowsRevision;
}

void WaterfallLayout::setCollapsed(int span, bool collapsed)
{
    if (span < 0 || span >= spanCount() || !hasChildren(span) || m_collapsed[span] == collapsed)
        return;
    m_collapsed[span] = collapsed;
    const int row = visibleRowOf(span);
    if (row < 0)
        return;  // under a collapsed ancestor: no row changes
    const auto after = m_visible.begin() + row + 1;
    if (collapsed) {
        m_visible.erase(after, std::lower_bound(after, m_visible.end(), m_subtreeEnd[span]));
    } else {
        std::vector<int> rows;
        appendVisibleSubtree(span, rows);
        m_visible.insert(after, rows.begin(), rows.end());
    }
    ++m_rowsRevision;
}

void WaterfallLayout::expandTo(int span)
{
    if (span < 0 || span >= spanCount())
        return;
    int topmost = -1;
    for (int p = m_parent[span]; p >= 0; p = m_parent[p]) {
        if (m_collapsed[p]) {
            m_collapsed[p] = false;
            topmost = p;
        }
    }
    if (topmost < 0)
        return;
    // Every ancestor of `topmost` is expanded, so it is visible; its subtree now shows down to the
    // nodes that stay collapsed.
    const int row = visibleRowOf(topmost);
    std::vector<int> rows;
    appendVisibleSubtree(topmost, rows);
    const auto after = m_visible.begin() + row + 1;
    m_visible.erase(after, std::lower_bound(after, m_visible.end(), m_subtreeEnd[topmost]));
    m_visible.insert(m_visible.begin() + row + 1, rows.begin(), rows.end());
    ++m_rowsRevision;
}

void WaterfallLayout::expandAll()
{
    std::fill(m_collapsed.begin(), m_collapsed.end(), false);
    m_visible.resize(spanCount());
    std::iota(m_visible.begin(), m_visible.end(), 0);
    ++m_rowsRevision;
}

void WaterfallLayout::collapseAll() { collapseFromDepth(0); }

void WaterfallLayout::collapseFromDepth(int depth)
{
    for (int i = 0; i < spanCount(); ++i)
        m_collapsed[i] = m_depth[i] >= depth && hasChildren(i);
    rebuildVisible();
}

QList<WaterfallBar> WaterfallLayout::bars(int firstRow, int lastRow, const TimeScale &scale) const
{
    firstRow = std::max(firstRow, 0);
    lastRow = std::min(lastRow, visibleRowCount());
    QList<WaterfallBar> out;
    if (firstRow >= lastRow)
        return out;
    out.reserve(lastRow - firstRow);
    const double width = scale.width();
    for (int row = firstRow; row < lastRow; ++row) {
        const int span = m_visible[row];
        if (double(m_end[span]) < scale.startNs() || double(m_start[span]) > scale.endNs())
            continue;
        WaterfallBar bar;
        bar.row = row;
        bar.span = span;
        bar.x0 = scale.x(double(m_start[span]));
        bar.x1 = scale.x(double(m_end[span]));
        bar.clippedStart = bar.x0 < 0;
        bar.clippedEnd = bar.x1 > width;
        clampToWidget(bar.x0, bar.x1, width);
        out.push_back(bar);
    }
    return out;
}

int WaterfallLayout::spanCountAtDepth(int depth) const
{
    if (depth < 0 || depth > maxDepth())
        return 0;
    return m_depthOffset[depth + 1] - m_depthOffset[depth];
}

QList<FoldedBar> WaterfallLayout::foldedBars(int depth, const TimeScale &scale, double minPx) const
{
    QList<FoldedBar> out;
    if (depth < 0 || depth > maxDepth())
        return out;
    minPx = std::max(minPx, 1e-3);
    const double tLo = scale.startNs();
    const double tHi = scale.endNs();
    const double width = scale.width();
    const qint64 *start = m_byDepthStart.data();
    const qint64 *end = m_byDepthEnd.data();
    const qint64 *maxEnd = m_byDepthMaxEnd.data();
    const auto before = [](qint64 v, double t) { return double(v) < t; };

    const int groupBegin = m_depthOffset[depth];
    const int groupEnd = m_depthOffset[depth + 1];
    // Spans before `lo` all end before the window; spans from `hi` on start after it.
    const int lo = int(std::lower_bound(maxEnd + groupBegin, maxEnd + groupEnd, tLo, before) - maxEnd);
    const int hi = int(std::upper_bound(start + lo, start + groupEnd, tHi,
                                        [](double t, qint64 v) { return t < double(v); })
                       - start);

    auto pushBar = [&](int first, int last, double x0, double x1) {
        FoldedBar bar;
        bar.firstSpan = m_byDepthSpan[first];
        bar.count = last - first;
        bar.errorCount = m_byDepthErrorsBefore[last] - m_byDepthErrorsBefore[first];
        clampToWidget(x0, x1, width);
        bar.x0 = x0;
        bar.x1 = x1;
        out.push_back(bar);
    };

    for (int k = lo; k < hi;) {
        if (double(end[k]) < tLo) {  // ends before the window, behind a longer earlier span
            ++k;
            continue;
        }
        const double x0 = scale.x(double(start[k]));
        double x1 = scale.x(double(end[k]));
        if (x1 - x0 >= minPx) {
            pushBar(k, k + 1, x0, x1);
            ++k;
            continue;
        }
        // Fold: take every following span that ends within minPx of the block (one binary search
        // on the running maximum of ends), then the next span if it is narrow and starts within
        // minPx; stop at a wide span or a gap of minPx. Unless an earlier, longer span at this depth
        // is still running, each round grows the block by minPx, so a frame costs
        // O(width / minPx * log n); under such a span the walk goes span by span instead.
        int j = k + 1;
        while (j < hi) {
            const double limit = scale.t(x1 + minPx);
            if (double(maxEnd[j]) < limit) {
                const int m = int(std::lower_bound(maxEnd + j, maxEnd + hi, limit, before) - maxEnd);
                x1 = std::max(x1, scale.x(double(maxEnd[m - 1])));
                j = m;
                if (j >= hi)
                    break;
            }
            const double nx0 = scale.x(double(start[j]));
            const double nx1 = scale.x(double(end[j]));
            if (nx1 - nx0 >= minPx || nx0 > x1 + minPx)
                break;
            x1 = std::max(x1, nx1);
            ++j;
        }
        pushBar(k, j, x0, x1);
        k = j;
    }
    return out;
}

int WaterfallLayout::spanAt(int depth, double tNs) const
{
    if (depth < 0 || depth > maxDepth())
        return -1;
    const int groupBegin = m_depthOffset[depth];
    const int groupEnd = m_depthOffset[depth + 1];
    const qint64 *start = m_byDepthStart.data();
    const qint64 *maxEnd = m_byDepthMaxEnd.data();
    const int lo = int(std::lower_bound(maxEnd + groupBegin, maxEnd + groupEnd, tNs,
                                        [](qint64 v, double t) { return double(v) < t; })
                       - maxEnd);
    int k = int(std::upper_bound(start + lo, start + groupEnd, tNs, [](double t, qint64 v) { return t < double(v); })
                - start);
    while (--k >= lo) {
        if (double(m_byDepthEnd[k]) >= tNs)
            return m_byDepthSpan[k];
    }
    return -1;
}

const QList<OverviewColumn> &WaterfallLayout::overview(int width) const
{
    width = std::max(width, 0);
    if (width == m_overviewWidth)
        return m_overview;
    m_overviewWidth = width;
    m_overview = QList<OverviewColumn>(width);
    const int n = spanCount();
    if (width == 0 || n == 0)
        return m_overview;

    const double perNs = double(width) / double(std::max<qint64>(m_durationNs, 1));
    auto column = [&](qint64 t) { return std::clamp(int(double(t) * perNs), 0, width - 1); };

    // Running counts by difference arrays: +1 where a span's columns begin, -1 past their end.
    std::vector<int> countDelta(width + 1, 0);
    std::vector<int> errorDelta(width + 1, 0);
    for (int i = 0; i < n; ++i) {
        const int c0 = column(m_start[i]);
        const int c1 = column(m_end[i]);
        ++countDelta[c0];
        --countDelta[c1 + 1];
        if (isError(i)) {
            ++errorDelta[c0];
            --errorDelta[c1 + 1];
        }
    }
    int count = 0;
    int errors = 0;
    for (int c = 0; c < width; ++c) {
        count += countDelta[c];
        errors += errorDelta[c];
        m_overview[c].count = count;
        m_overview[c].hasError = errors > 0;
    }

    // Deepest span per column: paint depths from the deepest up, each column once. nextFree[c] is
    // the first column >= c not painted yet (path-halving union-find), so the whole pass is
    // near-linear however wide the spans are.
    std::vector<int> nextFree(width + 1);
    std::iota(nextFree.begin(), nextFree.end(), 0);
    auto findFree = [&](int c) {
        while (nextFree[c] != c) {
            nextFree[c] = nextFree[nextFree[c]];
            c = nextFree[c];
        }
        return c;
    };
    for (int d = maxDepth(); d >= 0; --d) {
        for (int k = m_depthOffset[d]; k < m_depthOffset[d + 1]; ++k) {
            const int c1 = column(m_byDepthEnd[k]);
            for (int c = findFree(column(m_byDepthStart[k])); c <= c1; c = findFree(c)) {
                m_overview[c].maxDepth = d;
                nextFree[c] = c + 1;
            }
        }
    }
    return m_overview;
}

} // namespace spanscope
