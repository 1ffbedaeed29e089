#include "pricetablemodel.h"

#include "pricing/pricetable.h"

#include <QBrush>
#include <QFont>
#include <QHash>
#include <QLocale>
#include <QPalette>

namespace spanscope {

namespace {

double *priceField(PriceOverride &o, int column)
{
    switch (column) {
    case PriceTableModel::InputColumn: return &o.inputPerMTok;
    case PriceTableModel::OutputColumn: return &o.outputPerMTok;
    case PriceTableModel::CacheReadColumn: return &o.cacheReadPerMTok;
    case PriceTableModel::CacheWriteColumn: return &o.cacheWritePerMTok;
    default: return nullptr;
    }
}

double priceOf(const PriceOverride &o, int column)
{
    return *priceField(const_cast<PriceOverride &>(o), column);
}

} // namespace

PriceTableModel::PriceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void PriceTableModel::setTables(std::shared_ptr<const PriceTable> builtin, const PriceTableOverrides &overrides)
{
    beginResetModel();
    m_rows.clear();
    for (const PriceOverride &o : overrides.entries)
        m_rows.push_back(Row{o, true, false, {}, {}});
    if (builtin) {
        QHash<QString, int> overrideRows;   // provider + model name of simple overrides
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].entry.isSimple())
                overrideRows.insert(m_rows[i].entry.provider + QChar(0x1f) + m_rows[i].entry.match.toString(), i);
        }
        for (const ModelPrice &p : builtin->allPrices()) {
            if (p.isOverride)
                continue;
            Row r;
            r.entry.match = p.modelId;
            r.entry.provider = p.providerId;
            r.entry.inputPerMTok = p.inputPerMTok;
            r.entry.outputPerMTok = p.outputPerMTok;
            r.entry.cacheReadPerMTok = p.cacheReadPerMTok;
            r.entry.cacheWritePerMTok = p.cacheWritePerMTok;
            r.builtinName = p.modelName;
            // An override file made here holds edited built-in rows: show them in place.
            const int at = overrideRows.value(p.providerId + QChar(0x1f) + p.modelId, -1);
            const auto it = at >= 0 && !m_rows[at].fromBuiltin ? m_rows.begin() + at : m_rows.end();
            if (it != m_rows.end()) {
                it->fromBuiltin = true;
                it->builtin = r.entry;
                it->builtinName = r.builtinName;
                continue;
            }
            m_rows.push_back(r);
        }
    }
    m_modified = false;
    endResetModel();
    Q_EMIT modifiedChanged(false);
}

PriceTableOverrides PriceTableModel::overrides() const
{
    PriceTableOverrides t;
    for (const Row &r : m_rows) {
        if (r.isOverride)
            t.entries << r.entry;
    }
    return t;
}

void PriceTableModel::markModified()
{
    if (!m_modified) {
        m_modified = true;
        Q_EMIT modifiedChanged(true);
    }
}

int PriceTableModel::addOverride(const PriceOverride &entry)
{
    beginInsertRows({}, 0, 0);
    m_rows.prepend(Row{entry, true, false, {}, {}});
    endInsertRows();
    markModified();
    return 0;
}

int PriceTableModel::mergeOverrides(const QList<PriceOverride> &entries)
{
    int changed = 0;
    QList<PriceOverride> fresh;
    for (const PriceOverride &o : entries) {
        const auto it = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row &r) { return r.entry.sameKey(o); });
        if (it == m_rows.end()) {
            fresh << o;
            continue;
        }
        if (it->isOverride && it->entry == o)
            continue;
        if (!it->isOverride) {
            it->builtin = it->entry;
            it->fromBuiltin = true;
            it->isOverride = true;
        }
        it->entry = o;
        const int row = int(it - m_rows.begin());
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        ++changed;
    }
    if (!fresh.isEmpty()) {
        beginInsertRows({}, 0, int(fresh.size()) - 1);
        for (qsizetype i = fresh.size() - 1; i >= 0; --i)
            m_rows.prepend(Row{fresh[i], true, false, {}, {}});
        endInsertRows();
        changed += int(fresh.size());
    }
    if (changed > 0)
        markModified();
    return changed;
}

bool PriceTableModel::removeOverride(int row)
{
    if (!isOverride(row))
        return false;
    Row &r = m_rows[row];
    if (r.fromBuiltin) {
        r.entry = r.builtin;
        r.isOverride = false;
        r.fromBuiltin = false;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    markModified();
    return true;
}

bool PriceTableModel::isOverride(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows[row].isOverride;
}

int PriceTableModel::rowOf(const QString &modelText, const QString &provider) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const PriceOverride &e = m_rows[i].entry;
        if (e.matchText().compare(modelText, Qt::CaseInsensitive) == 0 && (provider.isEmpty() || e.provider == provider))
            return i;
    }
    return -1;
}

int PriceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PriceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PriceTableModel::formatPrice(double perMTok)
{
    if (perMTok < 0)
        return {};
    return QLocale().toString(perMTok, 'g', 6);
}

double PriceTableModel::parsePrice(const QString &text, bool *ok)
{
    const QString t = text.trimmed();
    *ok = true;
    if (t.isEmpty() || t == QStringLiteral("—") || t == QLatin1String("-"))
        return -1;
    bool parsed = false;
    double v = QLocale().toDouble(t, &parsed);
    if (!parsed)
        v = t.toDouble(&parsed);
    *ok = parsed && v >= 0;
    return v;
}

QVariant PriceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    const int c = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (c) {
        case ModelColumn: return r.entry.matchText();
        case ProviderColumn: return r.entry.provider;
        case SourceColumn:
            return r.isOverride ? (r.fromBuiltin ? tr("yours (edited)") : tr("yours")) : tr("built-in");
        default: return formatPrice(priceOf(r.entry, c));
        }
    case SortRole:
        if (c >= InputColumn && c <= CacheWriteColumn)
            return priceOf(r.entry, c);
        if (c == SourceColumn)
            return r.isOverride ? 0 : 1;
        return data(index, Qt::DisplayRole).toString().toLower();
    case Qt::ToolTipRole:
        if (c == ModelColumn) {
            QString tip = r.builtinName.isEmpty() ? r.entry.name : r.builtinName;
            if (!r.entry.tieredPrices.isEmpty())
                tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Long-context tiers apply above some input sizes.");
            if (!r.entry.isSimple())
                tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Matches: %1").arg(r.entry.matchText());
            return tip.isEmpty() ? QVariant() : QVariant(tip);
        }
        if (c >= InputColumn && c <= CacheWriteColumn)
            return tr("USD per million tokens; empty: not priced");
        if (c == SourceColumn && r.fromBuiltin)
            return tr("Built-in: %1 in / %2 out").arg(formatPrice(r.builtin.inputPerMTok), formatPrice(r.builtin.outputPerMTok));
        return {};
    case Qt::FontRole:
        if (r.isOverride) {
            QFont f;
            f.setBold(c == SourceColumn);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (c == SourceColumn && !r.isOverride)
            return QBrush(QPalette().color(QPalette::PlaceholderText));
        return {};
    case Qt::TextAlignmentRole:
        if (c >= InputColumn && c <= CacheWriteColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IsOverrideRole:
        return r.isOverride;
    default:
        return {};
    }
}

bool PriceTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_rows.size())
        return false;
    Row &r = m_rows[index.row()];
    const int c = index.column();
    PriceOverride changed = r.entry;
    if (c == ModelColumn) {
        const QString text = value.toString().trimmed();
        if (text.isEmpty() || !r.isOverride || !r.entry.isSimple())
            return false;
        changed.match = text;
    } else if (c == ProviderColumn) {
        if (!r.isOverride)
            return false;
        changed.provider = value.toString().trimmed().toLower();
    } else if (double *f = priceField(changed, c)) {
        bool ok = false;
        const double v = value.typeId() == QMetaType::Double ? value.toDouble() : parsePrice(value.toString(), &ok);
        if (value.typeId() != QMetaType::Double && !ok)
            return false;
        *f = v;
        if (changed.inputPerMTok < 0 && changed.outputPerMTok < 0)
            return false;   // the overrides format needs one of the two
    } else {
        return false;
    }
    if (changed == r.entry)
        return true;
    if (!r.isOverride) {
        r.builtin = r.entry;
        r.fromBuiltin = true;
        r.isOverride = true;
    }
    r.entry = changed;
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    markModified();
    return true;
}

Qt::ItemFlags PriceTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Row &r = m_rows[index.row()];
    const int c = index.column();
    if ((c >= InputColumn && c <= CacheWriteColumn) || (r.isOverride && c == ProviderColumn)
        || (r.isOverride && c == ModelColumn && r.entry.isSimple()))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant PriceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ModelColumn: return tr("Model");
    case ProviderColumn: return tr("Provider");
    case InputColumn: return tr("Input $/M");
    case OutputColumn: return tr("Output $/M");
    case CacheReadColumn: return tr("Cache read $/M");
    case CacheWriteColumn: return tr("Cache write $/M");
    case SourceColumn: return tr("Source");
    default: return {};
    }
}

} // namespace spanscope
