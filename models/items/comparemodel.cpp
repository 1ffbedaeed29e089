#include "comparemodel.h"
#include "trace/displaytext.h"

#include "kindpalette.h"
#include "layout/spaninterval.h"
#include "layout/timescale.h"

#include <QBrush>
#include <QRectF>

#include <cmath>
#include <functional>

namespace spanscope {

CompareModel::CompareModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void CompareModel::setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, const CompareOptions &options)
{
    beginResetModel();
    m_a = std::move(a);
    m_b = std::move(b);
    m_comparison = (m_a && m_b) ? TraceComparison::compare(*m_a, *m_b, options) : TraceComparison();
    endResetModel();
}

void CompareModel::setComparison(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, TraceComparison comparison)
{
    beginResetModel();
    m_a = std::move(a);
    m_b = std::move(b);
    m_comparison = (m_a && m_b) ? std::move(comparison) : TraceComparison();
    endResetModel();
}

void CompareModel::clear()
{
    beginResetModel();
    m_a.reset();
    m_b.reset();
    m_comparison = TraceComparison();
    endResetModel();
}

void CompareModel::setCommonTimeScale(bool common)
{
    if (m_commonScale == common)
        return;
    m_commonScale = common;
    Q_EMIT headerDataChanged(Qt::Horizontal, TimelineAColumn, TimelineBColumn);
    // Bars of every row move; a reset would lose expansion and selection.
    const std::function<void(const QModelIndex &)> touch = [&](const QModelIndex &parent) {
        const int n = rowCount(parent);
        if (n == 0)
            return;
        Q_EMIT dataChanged(index(0, TimelineAColumn, parent), index(n - 1, TimelineBColumn, parent), {BarRole});
        for (int r = 0; r < n; ++r) {
            const QModelIndex child = index(r, 0, parent);
            if (hasChildren(child))
                touch(child);
        }
    };
    touch({});
}

qint64 CompareModel::timelineDurationNs(Side side) const
{
    const qint64 da = m_a ? m_a->durationNs() : 0;
    const qint64 db = m_b ? m_b->durationNs() : 0;
    if (m_commonScale)
        return std::max(da, db);
    return side == SideA ? da : db;
}

QModelIndex CompareModel::indexOfRow(int compareRow, int column) const
{
    if (compareRow < 0 || compareRow >= m_comparison.rowCount() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(m_comparison.rowInParent(compareRow), column, quintptr(compareRow));
}

int CompareModel::compareRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this ? int(index.internalId()) : -1;
}

QModelIndex CompareModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const std::span<const int> rows = parent.isValid() ? m_comparison.childRows(int(parent.internalId())) : m_comparison.rootRows();
    if (row >= int(rows.size()))
        return {};
    return createIndex(row, column, quintptr(rows[row]));
}

QModelIndex CompareModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_comparison.row(int(child.internalId())).parentRow;
    return p < 0 ? QModelIndex() : createIndex(m_comparison.rowInParent(p), 0, quintptr(p));
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_comparison.rootRows().size());
    if (parent.column() != 0)
        return 0;
    return int(m_comparison.childRows(int(parent.internalId())).size());
}

int CompareModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool CompareModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

const Span *CompareModel::spanOf(const CompareRow &row, Side side) const
{
    if (side == SideA)
        return row.a >= 0 && m_a ? &m_a->span(row.a) : nullptr;
    return row.b >= 0 && m_b ? &m_b->span(row.b) : nullptr;
}

QString CompareModel::formatDurationDelta(qint64 ns)
{
    if (ns == 0)
        return QStringLiteral("±0");
    return (ns > 0 ? QStringLiteral("+") : QStringLiteral("−")) + formatDuration(std::abs(ns));
}

QString CompareModel::formatCostDelta(double usd)
{
    if (std::abs(usd) < 1e-12)
        return QStringLiteral("±$0");
    const double a = std::abs(usd);
    return (usd > 0 ? QStringLiteral("+$") : QStringLiteral("−$")) + QString::number(a, 'f', a < 0.01 ? 6 : 4);
}

QString CompareModel::formatCountDelta(qint64 n)
{
    if (n == 0)
        return QStringLiteral("±0");
    return (n > 0 ? QStringLiteral("+") : QStringLiteral("−")) + QString::number(std::abs(n));
}

QString CompareModel::changeLabel(SpanChange change)
{
    switch (change) {
    case SpanChange::Name: return tr("name");
    case SpanChange::Model: return tr("model");
    case SpanChange::Status: return tr("status");
    case SpanChange::Duration: return tr("duration");
    case SpanChange::Tokens: return tr("tokens");
    case SpanChange::Cost: return tr("cost");
    case SpanChange::Input: return tr("input");
    case SpanChange::Output: return tr("output");
    case SpanChange::Messages: return tr("messages");
    case SpanChange::Parameters: return tr("parameters");
    case SpanChange::Order: return tr("order");
    }
    return {};
}

QString CompareModel::changesText(int r) const
{
    if (r < 0 || r >= m_comparison.rowCount())
        return {};
    const CompareRow &row = m_comparison.row(r);
    switch (row.status) {
    case CompareStatus::Same: return {};
    case CompareStatus::Added: return tr("added");
    case CompareStatus::Removed: return tr("removed");
    case CompareStatus::Changed: break;
    }
    QStringList parts;
    const Span *a = spanOf(row, SideA);
    const Span *b = spanOf(row, SideB);
    if (row.changes.testFlag(SpanChange::Status))
        parts << statusName(a->status) + QStringLiteral(" → ") + statusName(b->status);
    if (row.changes.testFlag(SpanChange::Model))
        parts << (a->model().isEmpty() ? tr("no model") : a->model()) + QStringLiteral(" → ")
                + (b->model().isEmpty() ? tr("no model") : b->model());
    for (SpanChange c : {SpanChange::Name, SpanChange::Input, SpanChange::Output, SpanChange::Messages,
                         SpanChange::Parameters, SpanChange::Tokens, SpanChange::Cost, SpanChange::Duration, SpanChange::Order}) {
        if (row.changes.testFlag(c))
            parts << changeLabel(c);
    }
    return parts.join(QStringLiteral(", "));
}

// Rows tell their status by a light tint: red where A had a span B lacks, green where B has a new
// one, orange over a changed pair; the side without a span shows a hatched gap.
QVariant CompareModel::tint(const CompareRow &row, int column) const
{
    const bool dark = KindPalette::isDark();
    auto soft = [dark](QColor c) {
        c.setAlpha(dark ? 60 : 38);
        return QBrush(c);
    };
    const bool sideColumn = isSideColumn(column);
    const Side side = columnSide(column);
    switch (row.status) {
    case CompareStatus::Same: return {};
    case CompareStatus::Changed: return soft(KindPalette::changedColor());
    case CompareStatus::Added:
    case CompareStatus::Removed: {
        const bool added = row.status == CompareStatus::Added;
        const QColor c = added ? KindPalette::addedColor() : KindPalette::removedColor();
        if (sideColumn && (side == SideA) == added) {
            QColor gap = KindPalette::mutedColor();
            gap.setAlpha(dark ? 70 : 60);
            return QBrush(gap, Qt::BDiagPattern);
        }
        return soft(c);
    }
    }
    return {};
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const int r = int(index.internalId());
    const CompareRow &row = m_comparison.row(r);
    const int column = index.column();
    const bool sideColumn = isSideColumn(column);
    const Side side = columnSide(column);
    const Span *span = sideColumn ? spanOf(row, side) : nullptr;
    const Span *any = row.b >= 0 ? spanOf(row, SideB) : spanOf(row, SideA);

    switch (role) {
    case CompareRowRole: return r;
    case StatusRole: return int(row.status);
    case ChangesRole: return int(row.changes.toInt());
    case DepthRole: return row.depth;
    case SideRole: return sideColumn ? int(side) : -1;
    case SpanIndexRole: return sideColumn ? (side == SideA ? row.a : row.b) : -1;
    case KindRole: return int((span ? span : any)->kind);
    case IsErrorRole: return span && span->isError();
    case Qt::BackgroundRole: return tint(row, column);
    default: break;
    }

    switch (column) {
    case NameAColumn:
    case NameBColumn:
        if (!span)
            return {};
        if (role == Qt::DisplayRole || role == SortRole)
            return span->name.isEmpty() ? span->spanId : displayLine(span->name);
        if (role == Qt::DecorationRole)
            return KindPalette::icon(span->kind);
        if (role == Qt::ForegroundRole && span->isError())
            return KindPalette::errorColor();
        if (role == Qt::ToolTipRole) {
            QString tip = displayLine(span->name, 200) + QStringLiteral(" [") + spanKindName(span->kind) + QLatin1Char(']');
            if (!span->model().isEmpty())
                tip += QLatin1Char('\n') + span->model();
            const Trace &t = side == SideA ? *m_a : *m_b;
            tip += QLatin1Char('\n') + formatDuration(spanInterval(t, side == SideA ? row.a : row.b).durationNs());
            if (span->isError())
                tip += QLatin1Char('\n') + tr("error: %1").arg(span->statusMessage);
            return tip;
        }
        return {};
    case TimelineAColumn:
    case TimelineBColumn: {
        if (!span)
            return {};
        const Trace &t = side == SideA ? *m_a : *m_b;
        const SpanInterval iv = spanInterval(t, side == SideA ? row.a : row.b);
        if (role == BarRole) {
            const double total = double(std::max<qint64>(timelineDurationNs(side), 1));
            return QRectF(double(iv.startNs) / total, 0, double(iv.durationNs()) / total, 1);
        }
        if (role == Qt::ToolTipRole || role == Qt::DisplayRole)
            return role == Qt::DisplayRole ? QVariant() : QVariant(tr("%1, starts at %2").arg(formatDuration(iv.durationNs()), formatDuration(iv.startNs)));
        if (role == SortRole)
            return iv.durationNs();
        return {};
    }
    case DurationDeltaColumn:
        if (role == Qt::DisplayRole)
            return formatDurationDelta(row.deltaDurationNs);
        if (role == SortRole)
            return row.deltaDurationNs;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole) {
            if (row.deltaDurationNs == 0)
                return KindPalette::mutedColor();
            if (row.changes.testFlag(SpanChange::Duration) || !row.isPair())
                return row.deltaDurationNs > 0 ? KindPalette::removedColor() : KindPalette::addedColor();
        }
        return {};
    case TokensDeltaColumn:
        if (role == Qt::DisplayRole) {
            if (row.deltaInputTokens == 0 && row.deltaOutputTokens == 0)
                return {};
            return QString(formatCountDelta(row.deltaInputTokens) + QStringLiteral(" / ") + formatCountDelta(row.deltaOutputTokens));
        }
        if (role == SortRole)
            return row.deltaInputTokens + row.deltaOutputTokens;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return tr("Input tokens %1, output tokens %2").arg(formatCountDelta(row.deltaInputTokens), formatCountDelta(row.deltaOutputTokens));
        if (role == Qt::ForegroundRole && row.deltaInputTokens + row.deltaOutputTokens != 0)
            return row.deltaInputTokens + row.deltaOutputTokens > 0 ? KindPalette::removedColor() : KindPalette::addedColor();
        return {};
    case CostDeltaColumn:
        if (role == Qt::DisplayRole)
            return std::abs(row.deltaCostUsd) < 1e-12 ? QVariant() : QVariant(formatCostDelta(row.deltaCostUsd));
        if (role == SortRole)
            return row.deltaCostUsd;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole && std::abs(row.deltaCostUsd) >= 1e-12)
            return row.deltaCostUsd > 0 ? KindPalette::removedColor() : KindPalette::addedColor();
        return {};
    case ChangesColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == SortRole)
            return changesText(r);
        if (role == Qt::ForegroundRole) {
            switch (row.status) {
            case CompareStatus::Added: return KindPalette::addedColor();
            case CompareStatus::Removed: return KindPalette::removedColor();
            case CompareStatus::Changed: return row.changes.testFlag(SpanChange::Status) && any->isError() ? KindPalette::errorColor() : QVariant();
            case CompareStatus::Same: return {};
            }
        }
        return {};
    default: return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameAColumn: return tr("A: span");
        case TimelineAColumn: return tr("A: 0 – %1").arg(formatDuration(timelineDurationNs(SideA)));
        case DurationDeltaColumn: return tr("Δ duration");
        case TokensDeltaColumn: return tr("Δ tokens in / out");
        case CostDeltaColumn: return tr("Δ cost");
        case ChangesColumn: return tr("Changes");
        case NameBColumn: return tr("B: span");
        case TimelineBColumn: return tr("B: 0 – %1").arg(formatDuration(timelineDurationNs(SideB)));
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TimelineAColumn:
        case TimelineBColumn:
            return m_commonScale ? tr("Both timelines share one time scale (the longer trace's duration)")
                                 : tr("Each timeline spans its own trace");
        case DurationDeltaColumn: return tr("B's duration minus A's; a span on one side only counts its whole duration");
        case TokensDeltaColumn: return tr("B's input and output tokens minus A's");
        case CostDeltaColumn: return tr("B's cost minus A's");
        default: return {};
        }
    }
    return {};
}

Qt::ItemFlags CompareModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace spanscope
