#pragma once

#include "pricetableoverrides.h"

#include <QAbstractTableModel>

#include <memory>

namespace spanscope {

class PriceTable;

// The price table as the Prices dialog edits it: the user's overrides first, then every built-in
// price. Editing a built-in row turns it into an override in place; removing an override that came
// from a built-in row brings the built-in price back. Prices are USD per million tokens; an empty
// cell is "not priced".
class PriceTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ModelColumn, ProviderColumn, InputColumn, OutputColumn, CacheReadColumn, CacheWriteColumn, SourceColumn, ColumnCount };
    enum Role { IsOverrideRole = Qt::UserRole + 1, SortRole };

    explicit PriceTableModel(QObject *parent = nullptr);

    // `builtin` may be null (no built-in rows).
    void setTables(std::shared_ptr<const PriceTable> builtin, const PriceTableOverrides &overrides);
    PriceTableOverrides overrides() const;   // what to save, in row order
    bool isModified() const { return m_modified; }
    void setModified(bool modified) { m_modified = modified; }

    // A new override row at the top (model name, provider may be empty); returns its row.
    int addOverride(const PriceOverride &entry);
    // Adds or replaces overrides (imports); returns how many rows were added or changed.
    int mergeOverrides(const QList<PriceOverride> &entries);
    // Removes an override row (a built-in one it replaced comes back). False for built-in rows.
    bool removeOverride(int row);
    bool isOverride(int row) const;
    int rowOf(const QString &modelText, const QString &provider = {}) const;   // -1 if none

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatPrice(double perMTok);   // "" when not priced
    static double parsePrice(const QString &text, bool *ok);   // "" / "—" -> -1

Q_SIGNALS:
    void modifiedChanged(bool modified);

private:
    struct Row {
        PriceOverride entry;
        bool isOverride = false;
        bool fromBuiltin = false;     // an override made by editing this built-in row
        PriceOverride builtin;        // the built-in price it replaced
        QString builtinName;
    };
    void markModified();
    QList<Row> m_rows;
    bool m_modified = false;
};

} // namespace spanscope
