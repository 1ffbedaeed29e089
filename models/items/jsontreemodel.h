#pragma once

#include <QAbstractItemModel>
#include <QString>

#include <vector>

namespace spanscope {

// A JSON object or array as a tree of (key, value, type) rows.
//
// The text is validated once and kept as it is; rows are materialised lazily: the children of a
// container are scanned out of its text the first time a view asks for its row count or one of
// its rows, so a multi-MB payload only costs what is actually expanded. Nothing recurses, so
// nesting depth is unlimited, and members keep the producer's order and duplicate keys
// (QJsonObject would sort and de-duplicate them).
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        ValueTextRole = Qt::UserRole + 1,  // QString: strings unescaped, everything else as written
        PathRole,                          // QString: jq-style path, e.g. .messages[0].content
        TypeRole,                          // int(JsonTreeModel::Type)
        ChildCountRole,                    // int: members of an object / items of an array, else 0
    };
    enum class Type : quint8 { Null, Bool, Number, String, Array, Object };

    explicit JsonTreeModel(QObject *parent = nullptr);

    // Shows `json` when it is a valid JSON object or array and returns true; otherwise the model
    // becomes empty and false is returned.
    bool setJson(const QString &json);
    void clear();
    bool isEmpty() const { return m_nodes.empty(); }
    const QString &json() const { return m_text; }

    // Is `text` (surrounding whitespace allowed) one valid JSON object or array? Linear, no recursion.
    static bool isJsonContainer(QStringView text);
    // Re-indents valid JSON (two spaces; indentation stops growing after 32 levels). Stops after
    // about `maxChars` characters when maxChars >= 0 and then sets *truncated.
    static QString indented(QStringView json, qsizetype maxChars = -1, bool *truncated = nullptr);
    // The text of a JSON string token (with its quotes), unescaped; at most `maxChars` characters
    // when maxChars >= 0.
    static QString unescaped(QStringView token, qsizetype maxChars = -1);
    static QString typeName(Type type);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Node {
        qsizetype keyBegin = -1;   // offset of the key's opening quote; -1 for array items and the root
        qsizetype keyEnd = -1;     // one past the key's closing quote
        qsizetype valueBegin = 0;
        qsizetype valueEnd = 0;    // one past the value's last character
        int parent = -1;
        int row = 0;
        int firstChild = -1;       // a container's children are contiguous in m_nodes once materialised
        int childCount = -1;       // -1 until materialised
        Type type = Type::Null;
    };

    int nodeId(const QModelIndex &index) const { return index.isValid() ? int(index.internalId()) : 0; }
    void materialize(int id) const;
    bool containerIsEmpty(const Node &node) const;
    QString keyText(const Node &node) const;
    QString valueText(const Node &node, qsizetype maxChars = -1) const;
    QString path(int id) const;

    QString m_text;
    // Node 0 is the document's top-level container. Mutable: rows are materialised on first use.
    mutable std::vector<Node> m_nodes;
};

} // namespace spanscope
