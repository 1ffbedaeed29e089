#include "attributesmodel.h"

#include "kindpalette.h"

#include <QFont>

namespace spanscope {

namespace {

constexpr qsizetype kCellChars = 300;
constexpr qsizetype kToolTipChars = 2000;

// One line for a cell: line breaks and tabs shown as visible marks.
QString singleLine(QStringView text, qsizetype maxChars)
{
    QString out;
    const qsizetype n = std::min(text.size(), maxChars);
    out.reserve(n + 2);
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t u = text[i].unicode();
        if (u == u'\n')
            out += QChar(0x23ce);          // ⏎
        else if (u == u'\r')
            continue;
        else if (u == u'\t')
            out += QLatin1Char(' ');
        else if (u < 0x20)
            out += QChar(0x2400 + u);      // control pictures
        else
            out += text[i];
    }
    if (n < text.size() && !out.isEmpty() && out.back().isHighSurrogate())
        out.chop(1);
    if (n < text.size())
        out += QChar(0x2026);
    return out;
}

} // namespace

AttributesModel::AttributesModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

QString AttributesModel::typeName(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString: return QStringLiteral("string");
    case QMetaType::Bool: return QStringLiteral("bool");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong: return QStringLiteral("int");
    case QMetaType::Double:
    case QMetaType::Float: return QStringLiteral("double");
    case QMetaType::QByteArray: return QStringLiteral("bytes");
    case QMetaType::QVariantList:
    case QMetaType::QStringList: return QStringLiteral("array");
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: return QStringLiteral("map");
    default: return value.isValid() ? QString::fromLatin1(value.typeName()) : QStringLiteral("null");
    }
}

Attributes AttributesModel::fromVariantMap(const QVariantMap &map)
{
    Attributes out;
    out.reserve(map.size());
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.append({it.key(), it.value()});
    return out;
}

void AttributesModel::load(const QList<Section> &sections, bool grouped)
{
    beginResetModel();
    m_groups.clear();
    m_grouped = grouped;
    for (const Section &section : sections) {
        if (grouped && section.attributes.isEmpty())
            continue;
        Group g;
        g.title = section.title;
        g.rows.reserve(section.attributes.size());
        for (const Attribute &a : section.attributes)
            g.rows.append({a.key, a.value, attributeValueToString(a.value), typeName(a.value)});
        m_groups.append(std::move(g));
    }
    endResetModel();
}

void AttributesModel::setAttributes(const Attributes &attributes)
{
    load({Section{QString(), attributes}}, false);
}

void AttributesModel::setSections(const QList<Section> &sections)
{
    load(sections, true);
}

void AttributesModel::clear()
{
    load({}, false);
}

int AttributesModel::attributeCount() const
{
    int n = 0;
    for (const Group &g : m_groups)
        n += int(g.rows.size());
    return n;
}

QModelIndex AttributesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (m_grouped)
            return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
        return (!m_groups.isEmpty() && row < m_groups.first().rows.size()) ? createIndex(row, column, quintptr(1)) : QModelIndex();
    }
    if (!m_grouped || parent.internalId() != 0 || parent.column() != 0 || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).rows.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex AttributesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !m_grouped || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int AttributesModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid()) {
        if (m_grouped)
            return int(m_groups.size());
        return m_groups.isEmpty() ? 0 : int(m_groups.first().rows.size());
    }
    if (!m_grouped || parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).rows.size());
}

int AttributesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::ItemFlags AttributesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != 0 || !m_grouped)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant AttributesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const int col = index.column();
    if (m_grouped && index.internalId() == 0) {
        const Group &g = m_groups.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            if (col == KeyColumn)
                return g.title;
            if (col == ValueColumn && role == Qt::DisplayRole)
                return QString::number(g.rows.size());
            break;
        case Qt::FontRole:
            if (col == KeyColumn) {
                QFont f;
                f.setBold(true);
                return f;
            }
            break;
        case Qt::ForegroundRole:
            if (col != KeyColumn)
                return KindPalette::mutedColor();
            break;
        case IsSectionRole: return true;
        }
        return {};
    }

    const Row &r = m_groups.at(int(index.internalId() - 1)).rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (col) {
        case KeyColumn: return singleLine(r.key, kCellChars);
        case ValueColumn: return singleLine(r.text, kCellChars);
        case TypeColumn: return r.type;
        }
        break;
    case Qt::EditRole:
        switch (col) {
        case KeyColumn: return r.key;
        case ValueColumn: return r.text;
        case TypeColumn: return r.type;
        }
        break;
    case Qt::ToolTipRole:
        if (col == ValueColumn && r.text.size() > 40) {
            QString text = r.text.left(kToolTipChars);
            if (r.text.size() > kToolTipChars)
                text += QChar(0x2026);
            return QStringLiteral("<div style=\"white-space:pre-wrap\">%1</div>").arg(text.toHtmlEscaped());
        }
        if (col == KeyColumn)
            return r.key;
        break;
    case Qt::ForegroundRole:
        if (col == TypeColumn)
            return KindPalette::mutedColor();
        break;
    case ValueRole: return r.value;
    case ValueTextRole: return r.text;
    case IsSectionRole: return false;
    }
    return {};
}

QVariant AttributesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    }
    return {};
}

} // namespace spanscope
