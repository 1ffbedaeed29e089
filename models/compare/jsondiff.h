#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace spanscope {

// One difference between two JSON documents, at a path such as `messages[2].content`.
struct JsonChange {
    enum Kind : quint8 { Added, Removed, Changed };
    Kind kind = Changed;
    QString path;       // "" for the root itself
    QJsonValue before;  // Removed, Changed
    QJsonValue after;   // Added, Changed
    friend bool operator==(const JsonChange &, const JsonChange &) = default;
};

// Key-level diff. Objects are compared key by key (in key order), recursively. Arrays are aligned
// with an LCS over their elements (so an inserted element is one Added, not a change of every
// later index); a removed element facing an added one where both are objects or arrays is
// descended into, so a changed message shows as `messages[1].content` rather than a whole new
// element. Strings that both hold a JSON object or array (tool arguments, payloads) are compared
// as JSON. Paths: `key`, `parent.key`, `parent[3]`; a key that is empty or contains '[' or ']' is
// written `["key"]`. Added and changed elements are numbered by their index in B, removed ones
// by their index in A.
QList<JsonChange> diffJson(const QJsonValue &a, const QJsonValue &b, const QString &rootPath = {});

QString jsonPathKey(const QString &parent, const QString &key);
QString jsonPathIndex(const QString &parent, qsizetype index);

// A value as compact JSON text (strings quoted), for dumps and the CLI.
QString compactJson(const QJsonValue &value);
// A JSON object or array parsed from text, else Undefined (scalars do not count: "42" is text).
QJsonValue parseJsonContainer(const QString &text);

// "+ path: value", "- path: value", "~ path: before -> after", one line per change, for tests.
QStringList dumpJsonChanges(const QList<JsonChange> &changes);

} // namespace spanscope
