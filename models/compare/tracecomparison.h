#pragma once

#include "trace/trace.h"

#include <QFlags>
#include <QList>
#include <QStringList>

#include <span>

namespace spanscope {

enum class CompareStatus : quint8 { Same, Changed, Added, Removed };
QString compareStatusName(CompareStatus status);   // "same" | "changed" | "added" | "removed"

// What differs between the two spans of a pair.
enum class SpanChange : quint16 {
    Name = 1 << 0,
    Model = 1 << 1,
    Status = 1 << 2,
    Duration = 1 << 3,     // beyond CompareOptions' tolerance
    Tokens = 1 << 4,
    Cost = 1 << 5,
    Input = 1 << 6,
    Output = 1 << 7,
    Messages = 1 << 8,     // ignoring tool-call ids (see sameMessages())
    Parameters = 1 << 9,
    Order = 1 << 10,       // the span moved among its siblings (shown at B's position)
};
Q_DECLARE_FLAGS(SpanChanges, SpanChange)
Q_DECLARE_OPERATORS_FOR_FLAGS(SpanChanges)
// "name", "model", "status", "duration", "tokens", "cost", "input", "output", "messages",
// "parameters", "order" — the ones set, in that order.
QStringList spanChangeNames(SpanChanges changes);

struct CompareOptions {
    // A pair's duration counts as changed when it moved by more than both of these (runs of the
    // same agent never take exactly the same time).
    double durationTolerance = 0.2;         // relative to the longer of the two
    qint64 durationToleranceNs = 1'000'000;
    // Siblings of the same kind (and tool) whose names share at least this much of their words
    // (Dice coefficient) may pair as a rename when nothing better pairs them.
    double renameSimilarity = 0.5;
    int topCount = 5;                       // contributors listed in the summary
};

// One line of the side-by-side view: a span of A, of B, or a pair.
struct CompareRow {
    int a = -1;           // tree index in A, -1 when the span is only in B
    int b = -1;           // tree index in B, -1 when only in A
    int depth = 0;        // nesting in the aligned tree
    int parentRow = -1;
    CompareStatus status = CompareStatus::Same;
    SpanChanges changes;
    // B minus A; a missing side counts as zero (an added span adds its whole duration, tokens, cost).
    qint64 deltaDurationNs = 0;
    qint64 deltaSelfNs = 0;         // self time (duration minus children), see TraceStats::selfTimes
    qint64 deltaInputTokens = 0;
    qint64 deltaOutputTokens = 0;
    double deltaCostUsd = 0;
    bool isPair() const { return a >= 0 && b >= 0; }
    friend bool operator==(const CompareRow &, const CompareRow &) = default;
};

// A row that accounts for part of the latency or cost difference.
struct CompareContributor {
    int row = -1;
    qint64 deltaSelfNs = 0;
    double deltaCostUsd = 0;
    friend bool operator==(const CompareContributor &, const CompareContributor &) = default;
};

struct CompareSummary {
    TraceSummary a;   // summarize() of each side
    TraceSummary b;
    qint64 deltaDurationNs = 0;      // trace duration B - A
    qint64 deltaInputTokens = 0;
    qint64 deltaOutputTokens = 0;
    double deltaCostUsd = 0;
    int deltaErrors = 0;
    // Spans, not rows: a removed subtree of three spans counts three.
    int added = 0;
    int removed = 0;
    int changed = 0;
    int same = 0;
    // Rows by |delta| of self time (so a parent and its child never count the same time twice),
    // resp. of own cost, largest first; rows with no difference left out.
    QList<CompareContributor> topLatency;
    QList<CompareContributor> topCost;
};

// Two traces aligned span by span. Roots are aligned first, then the children of every pair, each
// sibling list with an LCS in three passes: same kind + name + tool + model family, then same kind
// + name with the model left out + tool ("chat gpt-4o" ~ "chat gpt-4o-mini"), then same kind +
// tool with similar names (a rename). An inserted span thus shows as added without shifting its
// later siblings; repeated siblings pair in order. Siblings that only swapped places pair as
// moved (SpanChange::Order). What stays unpaired is added or removed with its whole subtree.
// Rows are in display order: depth first, each pair followed by its aligned children; inside a
// gap between pairs, removed and added subtrees are interleaved by start time (relative to their
// trace's start).
class TraceComparison
{
public:
    TraceComparison() = default;
    static TraceComparison compare(const Trace &a, const Trace &b, const CompareOptions &options = {});

    const QList<CompareRow> &rows() const { return m_rows; }
    int rowCount() const { return int(m_rows.size()); }
    const CompareRow &row(int i) const { return m_rows.at(i); }
    const CompareSummary &summary() const { return m_summary; }

    int rowOfA(int span) const { return span >= 0 && span < m_rowOfA.size() ? m_rowOfA.at(span) : -1; }
    int rowOfB(int span) const { return span >= 0 && span < m_rowOfB.size() ? m_rowOfB.at(span) : -1; }
    // The aligned tree: rows without a parent, and the children of a row, in display order.
    std::span<const int> rootRows() const { return {m_rootRows.constData(), size_t(m_rootRows.size())}; }
    std::span<const int> childRows(int row) const
    {
        const int begin = m_childOffsets.at(row);
        return {m_childList.constData() + begin, size_t(m_childOffsets.at(row + 1) - begin)};
    }
    int rowInParent(int row) const { return m_rowInParent.at(row); }

private:
    friend class CompareAligner;
    QList<CompareRow> m_rows;
    CompareSummary m_summary;
    QList<int> m_rowOfA;
    QList<int> m_rowOfB;
    QList<int> m_rootRows;
    QList<int> m_childOffsets;
    QList<int> m_childList;
    QList<int> m_rowInParent;
};

// One line per row: "= name [kind]", "~ name [kind] (model, messages)", "~ old -> new [kind]
// (name)", "+ name [kind]", "- name [kind]", indented two spaces per depth after the marker.
QStringList dumpComparison(const TraceComparison &comparison, const Trace &a, const Trace &b);

// The model family used to pair LLM spans: lower case, provider prefix and date or "latest"
// suffix removed ("openai/gpt-4o-2024-08-06" -> "gpt-4o").
QString modelFamily(const QString &model);

} // namespace spanscope
