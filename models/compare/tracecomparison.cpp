#include "tracecomparison.h"

#include "layout/tracestats.h"
#include "sequencediff.h"
#include "spandiff.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace spanscope {

QString compareStatusName(CompareStatus status)
{
    switch (status) {
    case CompareStatus::Same: return QStringLiteral("same");
    case CompareStatus::Changed: return QStringLiteral("changed");
    case CompareStatus::Added: return QStringLiteral("added");
    case CompareStatus::Removed: return QStringLiteral("removed");
    }
    return {};
}

QStringList spanChangeNames(SpanChanges changes)
{
    static const std::pair<SpanChange, const char *> names[] = {
        {SpanChange::Name, "name"},         {SpanChange::Model, "model"},   {SpanChange::Status, "status"},
        {SpanChange::Duration, "duration"}, {SpanChange::Tokens, "tokens"}, {SpanChange::Cost, "cost"},
        {SpanChange::Input, "input"},       {SpanChange::Output, "output"}, {SpanChange::Messages, "messages"},
        {SpanChange::Parameters, "parameters"}, {SpanChange::Order, "order"},
    };
    QStringList out;
    for (const auto &[flag, name] : names) {
        if (changes.testFlag(flag))
            out << QLatin1String(name);
    }
    return out;
}

QString modelFamily(const QString &model)
{
    static const QRegularExpression suffix(QStringLiteral("[-@:](\\d{4}-\\d{2}-\\d{2}|\\d{8}|latest)$"));
    QString m = model.trimmed().toLower();
    const qsizetype slash = m.lastIndexOf(QLatin1Char('/'));
    if (slash >= 0)
        m = m.mid(slash + 1);
    m.remove(suffix);
    return m;
}

namespace {

// Words of a name, lower case, for the rename similarity.
QStringList nameWords(const QString &name)
{
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    QStringList words = name.toLower().split(separators, Qt::SkipEmptyParts);
    words.removeDuplicates();
    return words;
}

double dice(const QStringList &x, const QStringList &y)
{
    if (x.isEmpty() && y.isEmpty())
        return 1;
    int common = 0;
    for (const QString &w : x)
        common += y.contains(w) ? 1 : 0;
    return 2.0 * common / double(x.size() + y.size());
}

qint64 known(qint64 n)
{
    return std::max<qint64>(n, 0);
}

double costOf(const Span &s)
{
    return s.cost.isKnown() ? s.cost.totalUsd : 0;
}

// Per-span keys of one trace, computed once.
struct SideKeys {
    QList<QString> strong;
    QList<QString> weak;
    QList<QString> renameKey;   // kind + tool: what a rename must keep
    QList<QStringList> words;
    QList<qint64> relStart;

    explicit SideKeys(const Trace &t)
    {
        const int n = t.size();
        strong.resize(n);
        weak.resize(n);
        renameKey.resize(n);
        words.resize(n);
        relStart.resize(n);
        const QChar sep(0x1f);
        for (int i = 0; i < n; ++i) {
            const Span &s = t.span(i);
            const QString kind = spanKindName(s.kind);
            const QString family = modelFamily(s.model());
            strong[i] = kind + sep + s.name + sep + s.toolName + sep + family;
            // "chat gpt-4o" and "chat gpt-4o-mini" are the same step with another model.
            QString bare = s.name;
            for (const QString &m : {s.responseModel, s.requestModel, family}) {
                if (!m.isEmpty())
                    bare.replace(m, QString(), Qt::CaseInsensitive);
            }
            weak[i] = kind + sep + bare.simplified() + sep + s.toolName;
            renameKey[i] = kind + sep + s.toolName;
            words[i] = nameWords(s.name);
            relStart[i] = s.startNs - t.startNs();
        }
    }
};

} // namespace

class CompareAligner
{
public:
    CompareAligner(const Trace &a, const Trace &b, const CompareOptions &options, TraceComparison &out)
        : m_a(a), m_b(b), m_options(options), m_keysA(a), m_keysB(b), m_out(out),
          m_selfA(TraceStats::selfTimes(a)), m_selfB(TraceStats::selfTimes(b))
    {
    }

    void run()
    {
        m_out.m_rowOfA = QList<int>(m_a.size(), -1);
        m_out.m_rowOfB = QList<int>(m_b.size(), -1);
        // Depth first without recursion (traces can nest thousands deep): each level's rows are
        // decided at once and pushed in reverse, so they pop in display order.
        alignLevel(m_a.roots(), m_b.roots(), 0, -1);
        while (!m_pending.empty()) {
            const Pending p = m_pending.back();
            m_pending.pop_back();
            switch (p.type) {
            case Pending::Pair: emitPair(p.a, p.b, p.depth, p.parentRow, p.moved); break;
            case Pending::OnlyA: emitSubtree(true, p.a, p.depth, p.parentRow); break;
            case Pending::OnlyB: emitSubtree(false, p.b, p.depth, p.parentRow); break;
            }
        }
        buildTree();
        summarize();
    }

private:
    using Pair = std::pair<int, int>;   // positions in the two sibling lists

    // dtl's LCS costs O((M + N) * D) for D differences: nothing when two runs mostly agree, too
    // much for thousands of siblings that all differ. Beyond this budget a gap is paired greedily
    // instead (each B sibling with the next equal A sibling within a short window).
    static constexpr qint64 LcsBudget = 50'000'000;
    static constexpr int GreedyWindow = 32;

    // Lower bound of the edit distance between two key sequences: what their multisets do not share.
    // It misses reorderings (a long sibling list reversed), which stay slow; runs of one agent
    // keep their siblings in start order, so that case is left to the budget's pass-3 estimate.
    template <typename KeyA, typename KeyB>
    static qint64 keyDistance(int offA, int la, int offB, int lb, KeyA keyA, KeyB keyB)
    {
        QHash<QString, int> counts;
        for (int i = 0; i < la; ++i)
            ++counts[keyA(offA + i)];
        qint64 common = 0;
        for (int j = 0; j < lb; ++j) {
            auto it = counts.find(keyB(offB + j));
            if (it != counts.end() && *it > 0) {
                --*it;
                ++common;
            }
        }
        return la + lb - 2 * common;
    }

    // Adds to `pairs` (ascending in both positions) the pairs an LCS with `equal` finds inside
    // each gap between consecutive pairs. `distance(offA, la, offB, lb)` estimates the edit
    // distance of a gap (see LcsBudget).
    template <typename Equal, typename Distance>
    static QList<Pair> refine(const QList<Pair> &pairs, int na, int nb, Equal equal, Distance distance)
    {
        QList<Pair> out;
        int pa = 0, pb = 0;
        auto gap = [&](int endA, int endB) {
            const int la = endA - pa, lb = endB - pb;
            if (la <= 0 || lb <= 0)
                return;
            const int offA = pa, offB = pb;
            if (qint64(la + lb) * distance(offA, la, offB, lb) <= LcsBudget) {
                for (const EditOp &op : diffSequencesBy(la, lb, [&](int i, int j) { return equal(offA + i, offB + j); })) {
                    if (op.type == EditOp::Common)
                        out.append({offA + op.a, offB + op.b});
                }
                return;
            }
            int i = offA;
            for (int j = offB; j < endB && i < endA; ++j) {
                for (int k = i; k < std::min(endA, i + GreedyWindow); ++k) {
                    if (equal(k, j)) {
                        out.append({k, j});
                        i = k + 1;
                        break;
                    }
                }
            }
        };
        for (const Pair &p : pairs) {
            gap(p.first, p.second);
            out.append(p);
            pa = p.first + 1;
            pb = p.second + 1;
        }
        gap(na, nb);
        return out;
    }

    struct Pending {
        enum Type : quint8 { Pair, OnlyA, OnlyB };
        Type type = Pair;
        int a = -1;
        int b = -1;
        int depth = 0;
        int parentRow = -1;
        bool moved = false;
    };

    void alignLevel(std::span<const int> sa, std::span<const int> sb, int depth, int parentRow)
    {
        std::vector<Pending> level;
        auto queueSubtree = [&](bool sideA, int span) {
            level.push_back({sideA ? Pending::OnlyA : Pending::OnlyB, sideA ? span : -1, sideA ? -1 : span, depth, parentRow, false});
        };
        auto queuePair = [&](int a, int b, bool moved) { level.push_back({Pending::Pair, a, b, depth, parentRow, moved}); };
        const int na = int(sa.size()), nb = int(sb.size());
        QList<Pair> pairs;
        if (na > 0 && nb > 0) {
            auto byKeys = [&](const QList<QString> &ka, const QList<QString> &kb) {
                return [&, ka = &ka, kb = &kb](int offA, int la, int offB, int lb) {
                    return keyDistance(offA, la, offB, lb, [&](int i) { return (*ka)[sa[i]]; }, [&](int j) { return (*kb)[sb[j]]; });
                };
            };
            pairs = refine({}, na, nb, [&](int i, int j) { return m_keysA.strong[sa[i]] == m_keysB.strong[sb[j]]; },
                           byKeys(m_keysA.strong, m_keysB.strong));
            pairs = refine(pairs, na, nb, [&](int i, int j) { return m_keysA.weak[sa[i]] == m_keysB.weak[sb[j]]; },
                           byKeys(m_keysA.weak, m_keysB.weak));
            // Renames: the key bounds what can pair; the similarity decides.
            pairs = refine(
                pairs, na, nb,
                [&](int i, int j) {
                    return m_keysA.renameKey[sa[i]] == m_keysB.renameKey[sb[j]]
                        && dice(m_keysA.words[sa[i]], m_keysB.words[sb[j]]) >= m_options.renameSimilarity;
                },
                [](int, int la, int, int lb) { return qint64(la) + lb; });
        }

        // Siblings that swapped places: pair what is left over by the strong key, in order.
        std::vector<int> movedTo(nb, -1);   // B position -> A position
        std::vector<bool> usedA(na, false), usedB(nb, false);
        for (const Pair &p : pairs) {
            usedA[p.first] = true;
            usedB[p.second] = true;
        }
        {
            QHash<QString, QList<int>> leftA;
            for (int i = 0; i < na; ++i) {
                if (!usedA[i])
                    leftA[m_keysA.strong[sa[i]]].append(i);
            }
            for (int j = 0; j < nb; ++j) {
                if (usedB[j])
                    continue;
                auto it = leftA.find(m_keysB.strong[sb[j]]);
                if (it == leftA.end() || it->isEmpty())
                    continue;
                const int i = it->takeFirst();
                movedTo[j] = i;
                usedA[i] = true;
            }
        }

        // Emit in display order: gaps (interleaved by relative start), then each pair.
        int pa = 0, pb = 0;
        auto gap = [&](int endA, int endB) {
            int i = pa, j = pb;
            for (;;) {
                while (i < endA && usedA[i])   // paired, or moved: emitted at its B position
                    ++i;
                if (i >= endA && j >= endB)
                    break;
                if (i < endA && (j >= endB || m_keysA.relStart[sa[i]] <= m_keysB.relStart[sb[j]])) {
                    queueSubtree(true, sa[i]);
                    ++i;
                } else {
                    if (movedTo[j] >= 0)
                        queuePair(sa[movedTo[j]], sb[j], true);
                    else
                        queueSubtree(false, sb[j]);
                    ++j;
                }
            }
        };
        for (const Pair &p : pairs) {
            gap(p.first, p.second);
            queuePair(sa[p.first], sb[p.second], false);
            pa = p.first + 1;
            pb = p.second + 1;
        }
        gap(na, nb);
        m_pending.insert(m_pending.end(), level.rbegin(), level.rend());
    }

    int appendRow(CompareRow row)
    {
        const int index = int(m_out.m_rows.size());
        if (row.a >= 0)
            m_out.m_rowOfA[row.a] = index;
        if (row.b >= 0)
            m_out.m_rowOfB[row.b] = index;
        m_out.m_rows.append(row);
        return index;
    }

    SpanChanges changesOf(const Span &x, const Span &y, qint64 dx, qint64 dy) const
    {
        SpanChanges c;
        if (x.name != y.name)
            c |= SpanChange::Name;
        if (x.model() != y.model())
            c |= SpanChange::Model;
        if (x.status != y.status)
            c |= SpanChange::Status;
        const qint64 dd = std::abs(dy - dx);
        if (dd > m_options.durationToleranceNs && double(dd) > m_options.durationTolerance * double(std::max(dx, dy)))
            c |= SpanChange::Duration;
        if (x.tokens.input != y.tokens.input || x.tokens.output != y.tokens.output)
            c |= SpanChange::Tokens;
        if (x.cost.isKnown() != y.cost.isKnown()
            || std::abs(costOf(x) - costOf(y)) > 1e-12 + 1e-9 * std::max(std::abs(costOf(x)), std::abs(costOf(y))))
            c |= SpanChange::Cost;
        if (x.input.value != y.input.value)
            c |= SpanChange::Input;
        if (x.output.value != y.output.value)
            c |= SpanChange::Output;
        if (!sameMessages(x, y))
            c |= SpanChange::Messages;
        if (x.parameters != y.parameters)
            c |= SpanChange::Parameters;
        return c;
    }

    void emitPair(int a, int b, int depth, int parentRow, bool moved)
    {
        const Span &x = m_a.span(a);
        const Span &y = m_b.span(b);
        CompareRow row;
        row.a = a;
        row.b = b;
        row.depth = depth;
        row.parentRow = parentRow;
        const qint64 dx = spanDuration(m_a, a);
        const qint64 dy = spanDuration(m_b, b);
        row.changes = changesOf(x, y, dx, dy);
        if (moved)
            row.changes |= SpanChange::Order;
        row.status = row.changes ? CompareStatus::Changed : CompareStatus::Same;
        row.deltaDurationNs = dy - dx;
        row.deltaSelfNs = m_selfB.at(b) - m_selfA.at(a);
        row.deltaInputTokens = known(y.tokens.input) - known(x.tokens.input);
        row.deltaOutputTokens = known(y.tokens.output) - known(x.tokens.output);
        row.deltaCostUsd = costOf(y) - costOf(x);
        const int index = appendRow(row);
        alignLevel(m_a.children(a), m_b.children(b), depth + 1, index);
    }

    void emitSubtree(bool sideA, int span, int depth, int parentRow)
    {
        const Trace &t = sideA ? m_a : m_b;
        const Span &s = t.span(span);
        const int sign = sideA ? -1 : 1;
        CompareRow row;
        (sideA ? row.a : row.b) = span;
        row.depth = depth;
        row.parentRow = parentRow;
        row.status = sideA ? CompareStatus::Removed : CompareStatus::Added;
        row.deltaDurationNs = sign * spanDuration(t, span);
        row.deltaSelfNs = sign * (sideA ? m_selfA : m_selfB).at(span);
        row.deltaInputTokens = sign * known(s.tokens.input);
        row.deltaOutputTokens = sign * known(s.tokens.output);
        row.deltaCostUsd = sign * costOf(s);
        const int index = appendRow(row);
        const std::span<const int> children = t.children(span);
        for (auto it = children.rbegin(); it != children.rend(); ++it)
            m_pending.push_back({sideA ? Pending::OnlyA : Pending::OnlyB, sideA ? *it : -1, sideA ? -1 : *it, depth + 1, index, false});
    }

    // Unfinished spans run to their trace's end, as everywhere in the layout layer.
    static qint64 spanDuration(const Trace &t, int span)
    {
        const Span &s = t.span(span);
        return s.hasEnded() ? s.durationNs() : std::max<qint64>(t.endNs() - s.startNs, 0);
    }

    void buildTree()
    {
        const int n = int(m_out.m_rows.size());
        QList<int> counts(n + 1, 0);
        m_out.m_rowInParent = QList<int>(n, 0);
        for (int r = 0; r < n; ++r) {
            const int p = m_out.m_rows.at(r).parentRow;
            if (p < 0) {
                m_out.m_rowInParent[r] = int(m_out.m_rootRows.size());
                m_out.m_rootRows.append(r);
            } else {
                m_out.m_rowInParent[r] = counts[p]++;
            }
        }
        m_out.m_childOffsets = QList<int>(n + 1, 0);
        for (int r = 0; r < n; ++r)
            m_out.m_childOffsets[r + 1] = m_out.m_childOffsets[r] + counts[r];
        m_out.m_childList = QList<int>(m_out.m_childOffsets[n], 0);
        for (int r = 0; r < n; ++r) {
            const int p = m_out.m_rows.at(r).parentRow;
            if (p >= 0)
                m_out.m_childList[m_out.m_childOffsets[p] + m_out.m_rowInParent[r]] = r;
        }
    }

    void summarize()
    {
        CompareSummary &s = m_out.m_summary;
        s.a = spanscope::summarize(m_a.spans());
        s.b = spanscope::summarize(m_b.spans());
        s.deltaDurationNs = m_b.durationNs() - m_a.durationNs();
        s.deltaInputTokens = s.b.inputTokens - s.a.inputTokens;
        s.deltaOutputTokens = s.b.outputTokens - s.a.outputTokens;
        s.deltaCostUsd = s.b.costUsd - s.a.costUsd;
        s.deltaErrors = s.b.errorCount - s.a.errorCount;
        QList<CompareContributor> all;
        for (int r = 0; r < m_out.m_rows.size(); ++r) {
            const CompareRow &row = m_out.m_rows.at(r);
            switch (row.status) {
            case CompareStatus::Same: ++s.same; break;
            case CompareStatus::Changed: ++s.changed; break;
            case CompareStatus::Added: ++s.added; break;
            case CompareStatus::Removed: ++s.removed; break;
            }
            all.append({r, row.deltaSelfNs, row.deltaCostUsd});
        }
        auto top = [&](auto magnitude) {
            QList<CompareContributor> list;
            for (const CompareContributor &c : all) {
                if (magnitude(c) > 0)
                    list.append(c);
            }
            std::stable_sort(list.begin(), list.end(),
                             [&](const CompareContributor &x, const CompareContributor &y) { return magnitude(x) > magnitude(y); });
            if (list.size() > m_options.topCount)
                list.resize(std::max(0, m_options.topCount));
            return list;
        };
        s.topLatency = top([](const CompareContributor &c) { return double(std::abs(c.deltaSelfNs)); });
        // Below a billionth of a dollar is floating-point noise of summed prices.
        s.topCost = top([](const CompareContributor &c) { return std::abs(c.deltaCostUsd) > 1e-12 ? std::abs(c.deltaCostUsd) : 0.0; });
    }

    const Trace &m_a;
    const Trace &m_b;
    const CompareOptions &m_options;
    SideKeys m_keysA;
    SideKeys m_keysB;
    TraceComparison &m_out;
    QList<qint64> m_selfA;
    QList<qint64> m_selfB;
    std::vector<Pending> m_pending;
};

TraceComparison TraceComparison::compare(const Trace &a, const Trace &b, const CompareOptions &options)
{
    TraceComparison c;
    CompareAligner(a, b, options, c).run();
    return c;
}

QStringList dumpComparison(const TraceComparison &comparison, const Trace &a, const Trace &b)
{
    QStringList lines;
    for (const CompareRow &row : comparison.rows()) {
        const Span &s = row.a >= 0 ? a.span(row.a) : b.span(row.b);
        QString line;
        switch (row.status) {
        case CompareStatus::Same: line = QStringLiteral("= "); break;
        case CompareStatus::Changed: line = QStringLiteral("~ "); break;
        case CompareStatus::Added: line = QStringLiteral("+ "); break;
        case CompareStatus::Removed: line = QStringLiteral("- "); break;
        }
        line += QString(row.depth * 2, QLatin1Char(' ')) + s.name;
        if (row.isPair() && b.span(row.b).name != s.name)
            line += QStringLiteral(" -> ") + b.span(row.b).name;
        line += QStringLiteral(" [") + spanKindName(s.kind) + QLatin1Char(']');
        if (row.changes)
            line += QStringLiteral(" (") + spanChangeNames(row.changes).join(QStringLiteral(", ")) + QLatin1Char(')');
        lines << line;
    }
    return lines;
}

} // namespace spanscope
