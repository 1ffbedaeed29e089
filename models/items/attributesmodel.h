#pragma once

#include "trace/span.h"

#include <QAbstractItemModel>

namespace spanscope {

// Key / value / type rows for raw attributes, invocation parameters or metadata. Either one flat
// list (setAttributes) or titled sections shown as top-level group rows (setSections), e.g. span,
// resource and scope attributes in one table. Values are shown shortened to one line; EditRole
// and ValueTextRole give the full text (what copying and filtering use).
class AttributesModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        ValueRole = Qt::UserRole + 1,  // QVariant: the value as the producer sent it
        ValueTextRole,                 // QString: the full value as text
        IsSectionRole,                 // bool: a group row
    };
    struct Section {
        QString title;
        Attributes attributes;
    };

    explicit AttributesModel(QObject *parent = nullptr);

    void setAttributes(const Attributes &attributes);
    void setSections(const QList<Section> &sections);   // sections without attributes are left out
    void clear();
    int attributeCount() const;                          // all attribute rows, over all sections
    bool hasSections() const { return m_grouped; }

    static QString typeName(const QVariant &value);      // string, int, double, bool, bytes, array, map
    static Attributes fromVariantMap(const QVariantMap &map);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Row {
        QString key;
        QVariant value;
        QString text;   // full value as text (shares the producer's string when it is one)
        QString type;
    };
    struct Group {
        QString title;
        QList<Row> rows;
    };
    void load(const QList<Section> &sections, bool grouped);

    // internalId: 0 for a group row, group index + 1 for an attribute row.
    QList<Group> m_groups;
    bool m_grouped = false;
};

} // namespace spanscope
