#pragma once

#include "store/tracestore.h"
#include "workspacereader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>

namespace spanscope {

// The trace list: a paged, lazily fetched view of the workspace's trace summaries. Only the pages
// the view asks for are fetched (on the reader thread), so 100,000 traces scroll smoothly. Sorting
// and filtering happen in SQL: sort() and setQuery() start a new generation of requests and
// answers from older ones are dropped.
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StartColumn,
        DurationColumn,
        SpansColumn,
        ErrorsColumn,
        ModelsColumn,
        InputTokensColumn,
        OutputTokensColumn,
        CostColumn,
        SessionColumn,
        UserColumn,
        ServiceColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,
        TraceIdRole,
        SummaryRole,      // QVariant holding the TraceSummary (invalid while the page loads)
        IsLoadedRole,
    };
    static constexpr int PageSize = 200;

    explicit TraceListModel(QObject *parent = nullptr);

    void setReader(WorkspaceReader *reader);
    WorkspaceReader *reader() const { return m_reader; }

    TraceQuery query() const { return m_query; }
    void setQuery(const TraceQuery &query);   // limit/offset/sort of `query` are ignored
    void refresh();                           // re-count and re-fetch (e.g. after an import)
    // Live ingest: re-count and re-fetch the first page only, then insert the new traces at the
    // top (and update the rows that changed) without a model reset, so selection and scrolling
    // survive. Falls back to refresh() when rows disappeared. At most one request in flight.
    void refreshHead();

    bool isLoading() const { return m_loading; }
    qint64 totalCount() const { return m_total; }
    // Summary of a loaded row, or nullptr while its page is still loading.
    const TraceSummary *summaryAt(int row) const;
    int rowOfTrace(const QString &traceId) const;   // among loaded rows; -1 if not loaded

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    static QString formatCost(double usd);

Q_SIGNALS:
    void loadingChanged(bool loading);
    void totalCountChanged(qint64 total);

private:
    void onTraceListReady(quint64 requestId, qint64 total, int offset, const QList<TraceSummary> &traces);
    void fetchPage(int page) const;
    void restart();
    void onHeadReady(qint64 total, const QList<TraceSummary> &traces);
    bool m_headPending = false;
    bool m_headAgain = false;

    QPointer<WorkspaceReader> m_reader;
    TraceQuery m_query;
    quint64 m_generation = 0;         // high bits of request ids: answers of older generations are dropped
    mutable quint64 m_nextRequest = 0;
    qint64 m_total = 0;
    bool m_loading = false;
    mutable QHash<int, QList<TraceSummary>> m_pages;
    mutable QSet<int> m_pending;
};

} // namespace spanscope
