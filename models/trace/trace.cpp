#include "trace.h"

#include "bulklist.h"

#include <QSet>
#include <QThreadPool>

#include <algorithm>
#include <vector>

namespace spanscope {

namespace {
// Span ids hash with Qt's per-process seed: a file cannot pick ids that all collide.
size_t idHash(QStringView id)
{
    return qHash(id, QHashSeed::globalSeed());
}

bool startsBefore(const Span &a, const Span &b)
{
    if (a.startNs != b.startNs)
        return a.startNs < b.startNs;
    return a.spanId < b.spanId;
}
} // namespace

Trace::Trace(SpanList input)
{
    const int total = int(input.size());
    if (total == 0)
        return;

    // One id -> index table serves de-duplication (a later copy of a span id wins), parent lookup
    // and, re-pointed at tree positions at the end, indexOf(). The hashes are taken in one
    // sequential pass; the table is flat, so a probe costs about one cache miss, and each hit is
    // confirmed by comparing the ids.
    size_t capacity = 16;
    while (capacity < size_t(total) * 2)
        capacity *= 2;
    m_idSlots.assign(capacity, IdSlot());
    std::vector<char> superseded(size_t(total), 0);
    const SpanList &spans = input;  // read only: no detach
    for (int i = 0; i < total; ++i) {
        const QString &id = spans[i].spanId;
        const size_t h = idHash(id);
        IdSlot &slot = m_idSlots[findSlot(m_idSlots, spans, id, h)];
        if (slot.position >= 0)
            superseded[size_t(slot.position)] = 1;
        slot = {h, i};
    }
    const auto lookup = [&](const QString &id) { return m_idSlots[findSlot(m_idSlots, spans, id, idHash(id))].position; };
    const int live = total - int(std::count(superseded.cbegin(), superseded.cend(), 1));

    // Live spans by start, so children come out ordered without per-parent sorts.
    std::vector<int> byStart;
    byStart.reserve(size_t(live));
    for (int i = 0; i < total; ++i) {
        if (!superseded[size_t(i)])
            byStart.push_back(i);
    }
    // The store hands spans over sorted already: checking is one pass, sorting n log n comparisons
    // that each read two spans far apart in memory (seconds at 1M spans).
    const auto earlier = [&](int a, int b) { return startsBefore(input[a], input[b]); };
    if (!std::is_sorted(byStart.begin(), byStart.end(), earlier)) {
        // Sorted on compact (start, index) keys; only equal starts read the spans' ids.
        std::vector<std::pair<qint64, int>> keys;
        keys.reserve(byStart.size());
        for (int i : byStart)
            keys.emplace_back(input[i].startNs, i);
        std::sort(keys.begin(), keys.end(), [&](const std::pair<qint64, int> &a, const std::pair<qint64, int> &b) {
            if (a.first != b.first)
                return a.first < b.first;
            if (input[a.second].spanId != input[b.second].spanId)
                return input[a.second].spanId < input[b.second].spanId;
            return a.second < b.second;  // as stable as the input order
        });
        for (size_t k = 0; k < keys.size(); ++k)
            byStart[k] = keys[k].second;
    }
    const int n = int(byStart.size());

    // Parent links and children in CSR form (offsets + one flat list), input-indexed. The links
    // are looked up in input order: the spans are read in the order they sit in memory.
    std::vector<int> parentOf(size_t(total), -1);
    std::vector<int> childCount(size_t(total) + 1, 0);
    for (int i = 0; i < total; ++i) {
        const Span &s = input[i];
        if (!superseded[size_t(i)] && !s.parentSpanId.isEmpty() && s.parentSpanId != s.spanId) {
            const int p = lookup(s.parentSpanId);
            parentOf[size_t(i)] = p;
            if (p >= 0)
                ++childCount[size_t(p)];
        }
    }
    std::vector<int> offsets(size_t(total) + 1, 0);
    for (int i = 0; i < total; ++i)
        offsets[size_t(i) + 1] = offsets[size_t(i)] + childCount[size_t(i)];
    std::vector<int> kids(static_cast<size_t>(offsets[size_t(total)]));
    std::vector<int> fill(offsets.begin(), offsets.end() - 1);
    std::vector<int> rootsIn;
    for (int i : byStart) {
        const int p = parentOf[size_t(i)];
        if (p >= 0)
            kids[size_t(fill[size_t(p)]++)] = i;
        else
            rootsIn.push_back(i);
    }

    // Depth-first from the roots; spans caught in a parent cycle are never reached that way, so the
    // earliest of them becomes an extra root (its parent link dropped) until all are placed.
    std::vector<int> order;
    order.reserve(size_t(n));
    std::vector<int> depthIn(size_t(total), 0);
    std::vector<char> placed(size_t(total), 0);
    std::vector<int> stack;
    auto walk = [&](int root) {
        stack.assign(1, root);
        depthIn[size_t(root)] = 0;
        while (!stack.empty()) {
            const int i = stack.back();
            stack.pop_back();
            if (placed[size_t(i)])
                continue;
            placed[size_t(i)] = 1;
            order.push_back(i);
            for (int k = offsets[size_t(i) + 1] - 1; k >= offsets[size_t(i)]; --k) {
                const int c = kids[size_t(k)];
                if (!placed[size_t(c)]) {
                    depthIn[size_t(c)] = depthIn[size_t(i)] + 1;
                    stack.push_back(c);
                }
            }
        }
    };
    for (int r : rootsIn)
        walk(r);
    if (int(order.size()) < n) {
        for (int i : byStart) {
            if (!placed[size_t(i)]) {
                parentOf[size_t(i)] = -1;
                rootsIn.push_back(i);
                walk(i);
            }
        }
    }

    // Re-index everything by tree position; each span is moved exactly once.
    std::vector<int> posOf(size_t(total), -1);
    for (int pos = 0; pos < n; ++pos)
        posOf[size_t(order[size_t(pos)])] = pos;
    m_parent.resize(n);
    m_depth.resize(n);
    m_childOffsets.fill(0, n + 1);
    for (int pos = 0; pos < n; ++pos) {
        const int i = order[size_t(pos)];
        const int p = parentOf[size_t(i)];
        m_parent[pos] = p >= 0 ? posOf[size_t(p)] : -1;
        m_depth[pos] = depthIn[size_t(i)];
        if (p >= 0)
            ++m_childOffsets[m_parent[pos] + 1];
    }
    // The spans themselves are reordered in place, each moved once as bytes; superseded copies
    // go to the end and are dropped.
    {
        std::vector<int> perm(order.begin(), order.end());
        perm.reserve(size_t(total));
        for (int i = 0; i < total; ++i) {
            if (posOf[size_t(i)] < 0)
                perm.push_back(i);
        }
        permuteInPlace(input, perm);
        input.resize(n);
        m_spans = std::move(input);
    }
    for (int pos = 0; pos < n; ++pos)
        m_childOffsets[pos + 1] += m_childOffsets[pos];
    // Pre-order positions grow with start order among siblings, so appending keeps children sorted.
    m_childList.resize(n - int(std::count(m_parent.cbegin(), m_parent.cend(), -1)));
    {
        QList<int> next = m_childOffsets;
        for (int pos = 0; pos < n; ++pos) {
            if (m_parent[pos] >= 0)
                m_childList[next[m_parent[pos]]++] = pos;
        }
    }
    for (int r : rootsIn)
        m_roots.push_back(posOf[size_t(r)]);
    std::sort(m_roots.begin(), m_roots.end());

    for (IdSlot &slot : m_idSlots) {
        if (slot.position >= 0)
            slot.position = posOf[size_t(slot.position)];
    }

    m_traceId = m_spans.first().traceId;
    m_startNs = m_spans.first().startNs;
    m_endNs = 0;
    for (const Span &s : std::as_const(m_spans)) {
        m_startNs = std::min(m_startNs, s.startNs);
        m_endNs = std::max({m_endNs, s.endNs, s.startNs});
    }
}

size_t Trace::findSlot(const std::vector<IdSlot> &table, const SpanList &spans, QStringView id, size_t h)
{
    const size_t mask = table.size() - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
        const IdSlot &slot = table[k];
        if (slot.position < 0 || (slot.hash == h && spans[slot.position].spanId == id))
            return k;
    }
}

int Trace::indexOf(QStringView spanId) const
{
    if (m_idSlots.empty())
        return -1;
    return m_idSlots[findSlot(m_idSlots, m_spans, spanId, idHash(spanId))].position;
}

std::shared_ptr<const Trace> makeSharedTrace(Trace trace)
{
    return std::shared_ptr<const Trace>(new Trace(std::move(trace)), [](const Trace *t) {
        if (t->size() < LargeTraceSpans)
            delete t;
        else
            QThreadPool::globalInstance()->start([t] { delete t; });
    });
}

bool Trace::isOrphan(int index) const
{
    return m_parent.at(index) < 0 && !m_spans.at(index).parentSpanId.isEmpty();
}

int Trace::subtreeEnd(int index) const
{
    const int d = m_depth.at(index);
    int i = index + 1;
    while (i < size() && m_depth.at(i) > d)
        ++i;
    return i;
}

TraceSummary summarize(const SpanList &spans)
{
    TraceSummary t;
    if (spans.isEmpty())
        return t;
    t.traceId = spans.first().traceId;
    QSet<QString> models, unpriced, services;
    const Span *root = nullptr;
    t.startNs = spans.first().startNs;
    for (const Span &s : spans) {
        ++t.spanCount;
        t.startNs = std::min(t.startNs, s.startNs);
        t.endNs = std::max({t.endNs, s.endNs, s.startNs});
        if (s.isError())
            ++t.errorCount;
        if (s.kind == SpanKind::Llm)
            ++t.llmCount;
        if (s.kind == SpanKind::Tool)
            ++t.toolCount;
        t.inputTokens += std::max<qint64>(s.tokens.input, 0);
        t.outputTokens += std::max<qint64>(s.tokens.output, 0);
        t.totalTokens += std::max<qint64>(s.tokens.effectiveTotal(), 0);
        if (s.cost.isKnown()) {
            t.costUsd += s.cost.totalUsd;
            ++t.pricedSpanCount;
            if (s.cost.source == CostSource::Computed)
                t.computedCostUsd += s.cost.totalUsd;
        }
        const QString m = s.model();
        if (!m.isEmpty()) {
            models.insert(m);
            if (!s.cost.isKnown() && !s.tokens.isEmpty())
                unpriced.insert(m);
        }
        if (!s.serviceName.isEmpty())
            services.insert(s.serviceName);
        if (t.sessionId.isEmpty())
            t.sessionId = s.sessionId;
        if (t.userId.isEmpty())
            t.userId = s.userId;
        if (s.isRoot() && (!root || startsBefore(s, *root)))
            root = &s;
    }
    if (!root) {
        // No true root (all parents missing): the earliest span names the trace.
        root = &*std::min_element(spans.cbegin(), spans.cend(), startsBefore);
    }
    t.name = root->name;
    t.serviceName = root->serviceName;
    t.models = QStringList(models.cbegin(), models.cend());
    t.models.sort();
    t.unpricedModels = QStringList(unpriced.cbegin(), unpriced.cend());
    t.unpricedModels.sort();
    t.services = QStringList(services.cbegin(), services.cend());
    t.services.sort();
    return t;
}

QStringList dumpTree(const Trace &trace)
{
    QStringList lines;
    lines.reserve(trace.size());
    for (int i = 0; i < trace.size(); ++i) {
        const Span &s = trace.span(i);
        lines << QString(trace.depth(i) * 2, QLatin1Char(' ')) + s.name + QStringLiteral(" [") + spanKindName(s.kind)
                + QLatin1Char(']');
    }
    return lines;
}

} // namespace spanscope
