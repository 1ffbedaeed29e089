#include "tracelistmodel.h"
#include "trace/displaytext.h"

#include "layout/timescale.h"
#include "workspacereader.h"

#include <QDateTime>
#include <QLocale>

namespace spanscope {

namespace {
constexpr int kGenerationShift = 32;
constexpr int kMaxCachedPages = 64;
constexpr quint64 kHeadRequestFlag = quint64(1) << 31;   // in the low (per-generation) bits

TraceQuery::Sort sortForColumn(int column)
{
    switch (column) {
    case TraceListModel::NameColumn: return TraceQuery::Sort::Name;
    case TraceListModel::DurationColumn: return TraceQuery::Sort::Duration;
    case TraceListModel::SpansColumn: return TraceQuery::Sort::Spans;
    case TraceListModel::ErrorsColumn: return TraceQuery::Sort::Errors;
    case TraceListModel::ModelsColumn: return TraceQuery::Sort::Models;
    case TraceListModel::InputTokensColumn: return TraceQuery::Sort::InputTokens;
    case TraceListModel::OutputTokensColumn: return TraceQuery::Sort::OutputTokens;
    case TraceListModel::CostColumn: return TraceQuery::Sort::Cost;
    case TraceListModel::SessionColumn: return TraceQuery::Sort::Session;
    case TraceListModel::UserColumn: return TraceQuery::Sort::User;
    case TraceListModel::ServiceColumn: return TraceQuery::Sort::Service;
    default: return TraceQuery::Sort::Start;
    }
}
} // namespace

TraceListModel::TraceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_query.limit = PageSize;
}

void TraceListModel::setReader(WorkspaceReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    if (m_reader)
        connect(m_reader, &WorkspaceReader::traceListReady, this, &TraceListModel::onTraceListReady);
    restart();
}

void TraceListModel::setQuery(const TraceQuery &query)
{
    const TraceQuery::Sort sort = m_query.sort;
    const bool descending = m_query.descending;
    m_query = query;
    m_query.sort = sort;
    m_query.descending = descending;
    m_query.limit = PageSize;
    m_query.offset = 0;
    restart();
}

void TraceListModel::refresh()
{
    restart();
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    const TraceQuery::Sort sort = sortForColumn(column);
    const bool descending = order == Qt::DescendingOrder;
    if (sort == m_query.sort && descending == m_query.descending && m_generation > 0)
        return;
    m_query.sort = sort;
    m_query.descending = descending;
    restart();
}

void TraceListModel::restart()
{
    ++m_generation;
    m_pending.clear();
    if (!m_reader) {
        beginResetModel();
        m_pages.clear();
        m_total = 0;
        endResetModel();
        return;
    }
    if (!m_loading) {
        m_loading = true;
        Q_EMIT loadingChanged(true);
    }
    // Keep showing the old rows until the first page of the new generation arrives.
    TraceQuery q = m_query;
    q.offset = 0;
    const quint64 id = (m_generation << kGenerationShift) | (m_nextRequest++ & 0xffffffffu);
    m_pending.insert(0);
    m_reader->requestTraceList(id, q, true);
}

void TraceListModel::fetchPage(int page) const
{
    if (!m_reader || m_pending.contains(page))
        return;
    m_pending.insert(page);
    TraceQuery q = m_query;
    q.offset = page * PageSize;
    const quint64 id = (m_generation << kGenerationShift) | (m_nextRequest++ & 0xffffffffu);
    m_reader->requestTraceList(id, q, false);
}

void TraceListModel::onTraceListReady(quint64 requestId, qint64 total, int offset, const QList<TraceSummary> &traces)
{
    if (requestId & kHeadRequestFlag) {
        m_headPending = false;
        if ((requestId >> kGenerationShift) == m_generation)
            onHeadReady(total, traces);
        if (m_headAgain) {
            m_headAgain = false;
            refreshHead();
        }
        return;
    }
    if ((requestId >> kGenerationShift) != m_generation)
        return;
    const int page = offset / PageSize;
    m_pending.remove(page);
    if (total >= 0) {
        // First answer of a generation: replace everything.
        beginResetModel();
        m_pages.clear();
        m_total = total;
        m_pages.insert(page, traces);
        endResetModel();
        Q_EMIT totalCountChanged(m_total);
        if (m_loading) {
            m_loading = false;
            Q_EMIT loadingChanged(false);
        }
        return;
    }
    if (m_pages.size() >= kMaxCachedPages) {
        // Drop the page farthest from this one; it is fetched again if scrolled back to.
        int farthest = -1;
        for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
            if (farthest < 0 || std::abs(it.key() - page) > std::abs(farthest - page))
                farthest = it.key();
        }
        m_pages.remove(farthest);
    }
    m_pages.insert(page, traces);
    const int first = offset;
    const int last = std::min<qint64>(offset + PageSize, m_total) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

void TraceListModel::refreshHead()
{
    if (!m_reader)
        return;
    if (m_headPending || m_pending.contains(0)) {
        // One head request at a time; ask again when it is answered (or restart() covers it).
        m_headAgain = m_headPending;
        return;
    }
    m_headPending = true;
    TraceQuery q = m_query;
    q.offset = 0;
    const quint64 id = (m_generation << kGenerationShift) | kHeadRequestFlag | (m_nextRequest++ & 0x7fffffffu);
    m_reader->requestTraceList(id, q, true);
}

void TraceListModel::onHeadReady(qint64 total, const QList<TraceSummary> &traces)
{
    const qint64 oldTotal = m_total;
    const qint64 delta = total - oldTotal;
    if (delta < 0 || (oldTotal == 0 && total > 0) || m_pages.isEmpty()) {
        restart();
        return;
    }
    // Loaded rows by position, and positions by trace id, before the change.
    QHash<QString, int> oldRowOf;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        for (int i = 0; i < it->size(); ++i)
            oldRowOf.insert(it->at(i).traceId, it.key() * PageSize + i);
    }
    // The common live case: new traces on top, the rest shifted down unchanged in order.
    bool pureInsert = true;
    for (int i = 0; i < traces.size() && pureInsert; ++i) {
        const int old = oldRowOf.value(traces.at(i).traceId, -1);
        pureInsert = i < delta ? old < 0 : (old < 0 || old == i - delta);
    }
    if (delta > 0) {
        // Loaded rows keep their summaries at their shifted positions where whole pages can be
        // rebuilt; the rest is fetched again when scrolled to.
        QHash<int, TraceSummary> shifted;
        if (pureInsert) {
            for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
                for (int i = 0; i < it->size(); ++i)
                    shifted.insert(int(it.key() * PageSize + i + delta), it->at(i));
            }
        }
        QHash<int, QList<TraceSummary>> pages;
        pages.insert(0, traces);
        const int lastPage = int((total - 1) / PageSize);
        for (int p = 1; p <= lastPage && !shifted.isEmpty(); ++p) {
            QList<TraceSummary> rows;
            const int end = int(std::min<qint64>(qint64(p + 1) * PageSize, total));
            for (int r = p * PageSize; r < end; ++r) {
                auto it = shifted.constFind(r);
                if (it == shifted.constEnd()) {
                    rows.clear();
                    break;
                }
                rows.push_back(*it);
            }
            if (!rows.isEmpty())
                pages.insert(p, rows);
        }
        beginInsertRows({}, 0, int(delta) - 1);
        m_pages = std::move(pages);
        m_pending.clear();
        m_total = total;
        endInsertRows();
        Q_EMIT totalCountChanged(m_total);
    } else {
        m_pages.insert(0, traces);
    }
    if (pureInsert) {
        if (!traces.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(traces.size()) - 1, ColumnCount - 1));
        return;
    }
    // Rows moved (a trace's start changed, or the list is sorted by something that grew): lay
    // the first page out again, keeping persistent indexes (selection) on their traces.
    Q_EMIT layoutAboutToBeChanged();
    QHash<QString, int> newRowOf;
    for (int i = 0; i < traces.size(); ++i)
        newRowOf.insert(traces.at(i).traceId, i);
    QHash<int, QString> oldIdAt;   // positions after the insertion above
    for (auto it = oldRowOf.cbegin(); it != oldRowOf.cend(); ++it)
        oldIdAt.insert(int(it.value() + delta), it.key());
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &idx : before) {
        const QString id = oldIdAt.value(idx.row());
        const int row = newRowOf.value(id, -1);
        after.push_back(row >= 0 ? index(row, idx.column()) : QModelIndex());
    }
    QHash<int, QList<TraceSummary>> pages;
    pages.insert(0, traces);
    m_pages = std::move(pages);
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
}

const TraceSummary *TraceListModel::summaryAt(int row) const
{
    if (row < 0 || row >= m_total)
        return nullptr;
    auto it = m_pages.constFind(row / PageSize);
    if (it == m_pages.constEnd()) {
        fetchPage(row / PageSize);
        return nullptr;
    }
    const int inPage = row % PageSize;
    return inPage < it->size() ? &it->at(inPage) : nullptr;
}

int TraceListModel::rowOfTrace(const QString &traceId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        for (int i = 0; i < it->size(); ++i) {
            if (it->at(i).traceId == traceId)
                return it.key() * PageSize + i;
        }
    }
    return -1;
}

int TraceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::min<qint64>(m_total, std::numeric_limits<int>::max()));
}

int TraceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags TraceListModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

QString TraceListModel::formatCost(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    if (usd < 0.0001)
        return QStringLiteral("<$0.0001");
    if (usd < 1)
        return QStringLiteral("$") + QString::number(usd, 'f', 4);
    return QStringLiteral("$") + QLocale().toString(usd, 'f', 2);
}

QVariant TraceListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TraceSummary *t = summaryAt(index.row());
    if (role == IsLoadedRole)
        return t != nullptr;
    if (!t) {
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return tr("Loading…");
        return {};
    }
    const int col = index.column();
    switch (role) {
    case TraceIdRole: return t->traceId;
    case SummaryRole: return QVariant::fromValue(*t);
    case Qt::DisplayRole:
        switch (col) {
        case NameColumn: return t->name.isEmpty() ? t->traceId : displayLine(t->name);
        case StartColumn: return QDateTime::fromMSecsSinceEpoch(t->startNs / 1000000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case DurationColumn: return formatDuration(t->durationNs());
        case SpansColumn: return QLocale().toString(t->spanCount);
        case ErrorsColumn: return t->errorCount > 0 ? QLocale().toString(t->errorCount) : QString();
        case ModelsColumn: return t->models.join(QStringLiteral(", "));
        case InputTokensColumn: return t->inputTokens > 0 ? QLocale().toString(t->inputTokens) : QString();
        case OutputTokensColumn: return t->outputTokens > 0 ? QLocale().toString(t->outputTokens) : QString();
        case CostColumn:
            if (t->pricedSpanCount == 0)
                return t->unpricedModels.isEmpty() ? QString() : tr("price missing");
            return QString(formatCost(t->costUsd) + (t->unpricedModels.isEmpty() ? QString() : QStringLiteral(" +?")));
        case SessionColumn: return t->sessionId;
        case UserColumn: return t->userId;
        case ServiceColumn: return t->serviceName;
        }
        break;
    case SortRole:
        switch (col) {
        case NameColumn: return t->name;
        case StartColumn: return t->startNs;
        case DurationColumn: return t->durationNs();
        case SpansColumn: return t->spanCount;
        case ErrorsColumn: return t->errorCount;
        case ModelsColumn: return t->models.join(QLatin1Char(','));
        case InputTokensColumn: return t->inputTokens;
        case OutputTokensColumn: return t->outputTokens;
        case CostColumn: return t->costUsd;
        case SessionColumn: return t->sessionId;
        case UserColumn: return t->userId;
        case ServiceColumn: return t->serviceName;
        }
        break;
    case Qt::TextAlignmentRole:
        switch (col) {
        case DurationColumn:
        case SpansColumn:
        case ErrorsColumn:
        case InputTokensColumn:
        case OutputTokensColumn:
        case CostColumn: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default: return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b><br/>%2<br/>").arg(displayLine(t->name).toHtmlEscaped(), t->traceId);
        tip += formatCount(t->spanCount, tr("span"), tr("spans")) + QStringLiteral(", ") + formatCount(t->errorCount, tr("error"), tr("errors"));
        if (t->computedCostUsd > 0)
            tip += QStringLiteral("<br/>") + tr("%1 of the cost computed from prices").arg(formatCost(t->computedCostUsd));
        if (!t->unpricedModels.isEmpty())
            tip += QStringLiteral("<br/>") + tr("No price for: %1").arg(t->unpricedModels.join(QStringLiteral(", ")).toHtmlEscaped());
        return tip;
    }
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case StartColumn: return tr("Start");
    case DurationColumn: return tr("Duration");
    case SpansColumn: return tr("Spans");
    case ErrorsColumn: return tr("Errors");
    case ModelsColumn: return tr("Models");
    case InputTokensColumn: return tr("Tokens in");
    case OutputTokensColumn: return tr("Tokens out");
    case CostColumn: return tr("Cost");
    case SessionColumn: return tr("Session");
    case UserColumn: return tr("User");
    case ServiceColumn: return tr("Service");
    }
    return {};
}

} // namespace spanscope
