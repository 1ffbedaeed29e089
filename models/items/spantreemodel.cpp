#include "spantreemodel.h"
#include "trace/displaytext.h"

#include "kindpalette.h"
#include "layout/timescale.h"
#include "tracelistmodel.h"

#include <QLocale>

namespace spanscope {

SpanTreeModel::SpanTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void SpanTreeModel::setTrace(std::shared_ptr<const Trace> trace)
{
    beginResetModel();
    m_trace = std::move(trace);
    m_rowInParent.clear();
    if (m_trace) {
        m_rowInParent.resize(m_trace->size());
        const std::span<const int> roots = m_trace->roots();
        for (int r = 0; r < int(roots.size()); ++r)
            m_rowInParent[roots[r]] = r;
        for (int i = 0; i < m_trace->size(); ++i) {
            const std::span<const int> kids = m_trace->children(i);
            for (int c = 0; c < int(kids.size()); ++c)
                m_rowInParent[kids[c]] = c;
        }
    }
    endResetModel();
}

QModelIndex SpanTreeModel::indexOfSpan(int spanIndex, int column) const
{
    if (!m_trace || spanIndex < 0 || spanIndex >= m_trace->size())
        return {};
    return createIndex(m_rowInParent[spanIndex], column, quintptr(spanIndex));
}

int SpanTreeModel::spanIndex(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this ? int(index.internalId()) : -1;
}

QModelIndex SpanTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_trace || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const std::span<const int> siblings = parent.isValid() ? m_trace->children(int(parent.internalId())) : m_trace->roots();
    if (row >= int(siblings.size()))
        return {};
    return createIndex(row, column, quintptr(siblings[row]));
}

QModelIndex SpanTreeModel::parent(const QModelIndex &child) const
{
    if (!m_trace || !child.isValid())
        return {};
    const int p = m_trace->parentIndex(int(child.internalId()));
    return p < 0 ? QModelIndex() : createIndex(m_rowInParent[p], 0, quintptr(p));
}

int SpanTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_trace)
        return 0;
    if (!parent.isValid())
        return int(m_trace->roots().size());
    if (parent.column() != 0)
        return 0;
    return int(m_trace->children(int(parent.internalId())).size());
}

int SpanTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool SpanTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags SpanTreeModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

QString SpanTreeModel::formatTokens(const TokenUsage &t)
{
    if (t.isEmpty())
        return {};
    const QLocale l;
    if (t.input >= 0 || t.output >= 0)
        return l.toString(std::max<qint64>(t.input, 0)) + QStringLiteral(" → ") + l.toString(std::max<qint64>(t.output, 0));
    return l.toString(t.effectiveTotal());
}

QVariant SpanTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_trace || !index.isValid())
        return {};
    const int i = int(index.internalId());
    const Span &s = m_trace->span(i);
    const int col = index.column();
    switch (role) {
    case SpanIndexRole: return i;
    case SpanIdRole: return s.spanId;
    case KindRole: return int(s.kind);
    case IsErrorRole: return s.isError();
    case IsOrphanRole: return m_trace->isOrphan(i);
    case IsRunningRole: return !s.hasEnded();
    case DepthRole: return m_trace->depth(i);
    case Qt::DisplayRole:
        switch (col) {
        case NameColumn: return s.name.isEmpty() ? s.spanId : displayLine(s.name);
        case DurationColumn: return s.hasEnded() ? formatDuration(s.durationNs()) : tr("running");
        case TokensColumn: return formatTokens(s.tokens);
        case CostColumn:
            if (s.cost.isKnown())
                return TraceListModel::formatCost(s.cost.totalUsd);
            return (!s.model().isEmpty() && !s.tokens.isEmpty()) ? tr("price missing") : QString();
        case StatusColumn:
            return s.status == StatusCode::Error ? tr("error") : s.status == StatusCode::Ok ? tr("ok") : QString();
        }
        break;
    case SortRole:
        switch (col) {
        case NameColumn: return s.name;
        case DurationColumn: return s.durationNs();
        case TokensColumn: return s.tokens.effectiveTotal();
        case CostColumn: return s.cost.isKnown() ? s.cost.totalUsd : -1.0;
        case StatusColumn: return int(s.status);
        }
        break;
    case Qt::DecorationRole:
        if (col == NameColumn)
            return KindPalette::icon(s.kind);
        break;
    case Qt::ForegroundRole:
        if (s.isError() && (col == NameColumn || col == StatusColumn))
            return KindPalette::errorColor();
        if (col == CostColumn && !s.cost.isKnown())
            return KindPalette::mutedColor();
        break;
    case Qt::TextAlignmentRole:
        if (col != NameColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b> — %2").arg(displayLine(s.name).toHtmlEscaped(), spanKindName(s.kind));
        if (!s.model().isEmpty())
            tip += QStringLiteral("<br/>") + s.model().toHtmlEscaped();
        if (m_trace->isOrphan(i))
            tip += QStringLiteral("<br/>") + tr("Parent span %1 is not in this trace").arg(s.parentSpanId);
        if (s.cost.source == CostSource::Computed)
            tip += QStringLiteral("<br/>") + tr("Cost computed from the price table");
        if (!s.statusMessage.isEmpty())
            tip += QStringLiteral("<br/>") + s.statusMessage.toHtmlEscaped();
        return tip;
    }
    }
    return {};
}

QVariant SpanTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Span");
    case DurationColumn: return tr("Duration");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost");
    case StatusColumn: return tr("Status");
    }
    return {};
}

} // namespace spanscope
