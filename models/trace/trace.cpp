#include "trace.h"

#include <QSet>

#include <algorithm>

namespace spanscope {

namespace {
bool startsBefore(const Span &a, const Span &b)
{
    if (a.startNs != b.startNs)
        return a.startNs < b.startNs;
    return a.spanId < b.spanId;
}
} // namespace

Trace::Trace(SpanList input)
{
    // Keep one copy per span id: the later one wins (importers hand spans in arrival order).
    {
        QHash<QString, int> seen;
        SpanList unique;
        unique.reserve(input.size());
        for (Span &s : input) {
            auto it = seen.constFind(s.spanId);
            if (it != seen.constEnd()) {
                unique[*it] = std::move(s);
            } else {
                seen.insert(s.spanId, int(unique.size()));
                unique.push_back(std::move(s));
            }
        }
        input = std::move(unique);
    }

    const int n = int(input.size());
    if (n == 0)
        return;
    m_traceId = input.first().traceId;

    // Sort by start so children lists come out ordered without per-list sorts.
    QList<int> byStart(n);
    for (int i = 0; i < n; ++i)
        byStart[i] = i;
    std::stable_sort(byStart.begin(), byStart.end(), [&](int a, int b) { return startsBefore(input[a], input[b]); });

    QHash<QString, int> idx;
    idx.reserve(n);
    for (int i = 0; i < n; ++i)
        idx.insert(input[i].spanId, i);

    QList<int> parentOf(n, -1);
    QList<QList<int>> kids(n);
    QList<int> rootsIn;
    for (int i : byStart) {
        const Span &s = input[i];
        int p = -1;
        if (!s.parentSpanId.isEmpty() && s.parentSpanId != s.spanId)
            p = idx.value(s.parentSpanId, -1);
        parentOf[i] = p;
        if (p < 0)
            rootsIn.push_back(i);
        else
            kids[p].push_back(i);
    }

    // Depth-first from the roots; spans caught in a parent cycle are never reached that way, so the
    // earliest of them becomes an extra root (its parent link dropped) until all are placed.
    QList<int> order;
    order.reserve(n);
    QList<int> depthIn(n, 0);
    QList<bool> placed(n, false);
    auto walk = [&](int root) {
        QList<int> stack{root};
        depthIn[root] = 0;
        while (!stack.isEmpty()) {
            const int i = stack.takeLast();
            if (placed[i])
                continue;
            placed[i] = true;
            order.push_back(i);
            const QList<int> &c = kids[i];
            for (auto it = c.crbegin(); it != c.crend(); ++it) {
                if (!placed[*it]) {
                    depthIn[*it] = depthIn[i] + 1;
                    stack.push_back(*it);
                }
            }
        }
    };
    for (int r : rootsIn)
        walk(r);
    if (order.size() < n) {
        for (int i : byStart) {
            if (!placed[i]) {
                if (parentOf[i] >= 0)
                    kids[parentOf[i]].removeOne(i);
                parentOf[i] = -1;
                rootsIn.push_back(i);
                walk(i);
            }
        }
    }

    // Re-index everything by tree position.
    QList<int> posOf(n);
    for (int pos = 0; pos < n; ++pos)
        posOf[order[pos]] = pos;
    m_spans.reserve(n);
    m_parent.resize(n);
    m_depth.resize(n);
    m_children.resize(n);
    for (int pos = 0; pos < n; ++pos) {
        const int i = order[pos];
        m_parent[pos] = parentOf[i] >= 0 ? posOf[parentOf[i]] : -1;
        m_depth[pos] = depthIn[i];
        QList<int> c;
        c.reserve(kids[i].size());
        for (int k : kids[i])
            c.push_back(posOf[k]);
        m_children[pos] = std::move(c);
        m_spans.push_back(std::move(input[i]));
    }
    for (int r : rootsIn)
        m_roots.push_back(posOf[r]);
    std::sort(m_roots.begin(), m_roots.end());
    m_indexById.reserve(n);
    m_startNs = m_spans.first().startNs;
    m_endNs = 0;
    for (int pos = 0; pos < n; ++pos) {
        const Span &s = m_spans[pos];
        m_indexById.insert(s.spanId, pos);
        m_startNs = std::min(m_startNs, s.startNs);
        m_endNs = std::max({m_endNs, s.endNs, s.startNs});
    }
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
