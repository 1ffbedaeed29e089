#pragma once

#include "compare/tracecomparison.h"
#include "trace/trace.h"

#include <QAbstractItemModel>

#include <memory>

namespace spanscope {

// The aligned rows of two traces as a tree (the aligned nesting of TraceComparison): A's span, its
// timeline, the deltas, what changed, B's span and its timeline, one row per pair or per span that
// is only on one side, so A and B always line up.
class CompareModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        NameAColumn,
        TimelineAColumn,
        DurationDeltaColumn,
        TokensDeltaColumn,
        CostDeltaColumn,
        ChangesColumn,
        NameBColumn,
        TimelineBColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,
        CompareRowRole,      // int: index into comparison().rows()
        StatusRole,          // int(CompareStatus)
        ChangesRole,         // int(SpanChanges)
        DepthRole,           // nesting of the aligned tree
        SpanIndexRole,       // the column's side: tree index in A or B, -1 when absent
        KindRole,            // int(SpanKind) of the column's side (or of the row's span)
        IsErrorRole,         // bool, the column's side
        BarRole,             // QRectF: timeline bar as fractions of the column width in x (y unused),
                             //   invalid when the side has no span
        SideRole,            // 0 for A columns, 1 for B columns, -1 for the middle ones
    };
    enum Side { SideA = 0, SideB = 1 };

    explicit CompareModel(QObject *parent = nullptr);

    void setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, const CompareOptions &options = {});
    // With a comparison of exactly these traces computed elsewhere (a worker thread: aligning two
    // 100,000-span traces takes a few hundred milliseconds).
    void setComparison(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, TraceComparison comparison);
    void clear();
    std::shared_ptr<const Trace> traceA() const { return m_a; }
    std::shared_ptr<const Trace> traceB() const { return m_b; }
    const TraceComparison &comparison() const { return m_comparison; }

    // One time axis for both timelines (the longer trace's duration), or each trace on its own.
    bool isCommonTimeScale() const { return m_commonScale; }
    void setCommonTimeScale(bool common);
    qint64 timelineDurationNs(Side side) const;

    QModelIndex indexOfRow(int compareRow, int column = 0) const;
    int compareRow(const QModelIndex &index) const;   // -1 for invalid
    static Side columnSide(int column) { return column <= TimelineAColumn ? SideA : SideB; }
    static bool isSideColumn(int column) { return column <= TimelineAColumn || column >= NameBColumn; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // "+300 ms", "-1.20 s", "±0"
    static QString formatDurationDelta(qint64 ns);
    // "+$0.0012", "-$0.000150", "±$0"
    static QString formatCostDelta(double usd);
    // "+120", "-8", "±0"
    static QString formatCountDelta(qint64 n);
    // What the Changes column says: "model, messages", "ok → error", "added", "removed".
    QString changesText(int compareRow) const;
    static QString changeLabel(SpanChange change);   // translated names of the flags

private:
    const Span *spanOf(const CompareRow &row, Side side) const;
    QVariant tint(const CompareRow &row, int column) const;

    std::shared_ptr<const Trace> m_a;
    std::shared_ptr<const Trace> m_b;
    TraceComparison m_comparison;
    bool m_commonScale = true;
};

} // namespace spanscope
