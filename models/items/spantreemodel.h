#pragma once

#include "trace/trace.h"

#include <QAbstractItemModel>

#include <memory>

namespace spanscope {

// The span tree of one trace. Items are span indices of the (immutable, shared) Trace; parent/row
// lookups are O(1) through precomputed arrays, so 100,000-span traces stay responsive.
class SpanTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, DurationColumn, TokensColumn, CostColumn, StatusColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        SpanIndexRole,   // int: index into trace()->spans()
        SpanIdRole,
        KindRole,        // int(SpanKind)
        IsErrorRole,
        IsOrphanRole,
        IsRunningRole,
        DepthRole,
    };

    explicit SpanTreeModel(QObject *parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    std::shared_ptr<const Trace> trace() const { return m_trace; }

    QModelIndex indexOfSpan(int spanIndex, int column = 0) const;
    int spanIndex(const QModelIndex &index) const;   // -1 for invalid

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    static QString formatTokens(const TokenUsage &tokens);

private:
    std::shared_ptr<const Trace> m_trace;
    QList<int> m_rowInParent;  // position of each span among its parent's children (or among the roots)
};

} // namespace spanscope
