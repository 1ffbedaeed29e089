#include "jsondiff.h"

#include "sequencediff.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace spanscope {

namespace {

bool isContainer(const QJsonValue &v)
{
    return v.isObject() || v.isArray();
}

void diffInto(const QJsonValue &a, const QJsonValue &b, const QString &path, QList<JsonChange> &out);

void diffObjects(const QJsonObject &a, const QJsonObject &b, const QString &path, QList<JsonChange> &out)
{
    // QJsonObject iterates in key order, so one merge walks the union.
    auto ia = a.constBegin();
    auto ib = b.constBegin();
    while (ia != a.constEnd() || ib != b.constEnd()) {
        if (ib == b.constEnd() || (ia != a.constEnd() && ia.key() < ib.key())) {
            out.append({JsonChange::Removed, jsonPathKey(path, ia.key()), ia.value(), {}});
            ++ia;
        } else if (ia == a.constEnd() || ib.key() < ia.key()) {
            out.append({JsonChange::Added, jsonPathKey(path, ib.key()), {}, ib.value()});
            ++ib;
        } else {
            diffInto(ia.value(), ib.value(), jsonPathKey(path, ia.key()), out);
            ++ia;
            ++ib;
        }
    }
}

void diffArrays(const QJsonArray &a, const QJsonArray &b, const QString &path, QList<JsonChange> &out)
{
    // Elements become symbols by their compact text.
    QHash<QString, int> ids;
    auto symbols = [&ids](const QJsonArray &array) {
        std::vector<int> s;
        s.reserve(array.size());
        for (const QJsonValue &v : array) {
            const QString text = compactJson(v);
            auto it = ids.constFind(text);
            if (it == ids.constEnd())
                it = ids.insert(text, int(ids.size()));
            s.push_back(it.value());
        }
        return s;
    };
    const QList<EditOp> ops = diffSequences(symbols(a), symbols(b));

    QList<int> removed, added;
    auto flush = [&] {
        const qsizetype paired = std::min(removed.size(), added.size());
        for (qsizetype k = 0; k < paired; ++k) {
            const QJsonValue va = a.at(removed.at(k));
            const QJsonValue vb = b.at(added.at(k));
            diffInto(va, vb, jsonPathIndex(path, added.at(k)), out);
        }
        for (qsizetype k = paired; k < removed.size(); ++k)
            out.append({JsonChange::Removed, jsonPathIndex(path, removed.at(k)), a.at(removed.at(k)), {}});
        for (qsizetype k = paired; k < added.size(); ++k)
            out.append({JsonChange::Added, jsonPathIndex(path, added.at(k)), {}, b.at(added.at(k))});
        removed.clear();
        added.clear();
    };
    for (const EditOp &op : ops) {
        switch (op.type) {
        case EditOp::Common: flush(); break;
        case EditOp::Removed: removed.append(op.a); break;
        case EditOp::Added: added.append(op.b); break;
        }
    }
    flush();
}

void diffInto(const QJsonValue &a, const QJsonValue &b, const QString &path, QList<JsonChange> &out)
{
    if (a == b)
        return;
    if (a.isObject() && b.isObject())
        return diffObjects(a.toObject(), b.toObject(), path, out);
    if (a.isArray() && b.isArray())
        return diffArrays(a.toArray(), b.toArray(), path, out);
    if (a.isString() && b.isString()) {
        const QJsonValue ja = parseJsonContainer(a.toString());
        const QJsonValue jb = parseJsonContainer(b.toString());
        // Same JSON spelled differently (spacing, key order) is no change.
        if (isContainer(ja) && isContainer(jb) && ja.type() == jb.type())
            return diffInto(ja, jb, path, out);
    }
    out.append({JsonChange::Changed, path, a, b});
}

} // namespace

QString jsonPathKey(const QString &parent, const QString &key)
{
    if (key.isEmpty() || key.contains(QLatin1Char('[')) || key.contains(QLatin1Char(']'))) {
        QString quoted = key;
        quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        return parent + QStringLiteral("[\"") + quoted + QStringLiteral("\"]");
    }
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

QString jsonPathIndex(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QString compactJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array: return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    default: {
        // Wrap a scalar in an array to let QJsonDocument quote and format it, then unwrap.
        const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(text.mid(1, text.size() - 2));
    }
    }
}

QJsonValue parseJsonContainer(const QString &text)
{
    const QStringView t = QStringView(text).trimmed();
    if (t.isEmpty() || (t.front() != QLatin1Char('{') && t.front() != QLatin1Char('[')))
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue(QJsonValue::Undefined);
}

QList<JsonChange> diffJson(const QJsonValue &a, const QJsonValue &b, const QString &rootPath)
{
    QList<JsonChange> out;
    diffInto(a, b, rootPath, out);
    return out;
}

QStringList dumpJsonChanges(const QList<JsonChange> &changes)
{
    QStringList lines;
    for (const JsonChange &c : changes) {
        switch (c.kind) {
        case JsonChange::Added: lines << QStringLiteral("+ ") + c.path + QStringLiteral(": ") + compactJson(c.after); break;
        case JsonChange::Removed: lines << QStringLiteral("- ") + c.path + QStringLiteral(": ") + compactJson(c.before); break;
        case JsonChange::Changed:
            lines << QStringLiteral("~ ") + c.path + QStringLiteral(": ") + compactJson(c.before) + QStringLiteral(" -> ")
                    + compactJson(c.after);
            break;
        }
    }
    return lines;
}

} // namespace spanscope
