#include "spandiff.h"

#include <QJsonDocument>

#include <cmath>

namespace spanscope {

namespace {

QString indentedJson(const QJsonValue &v)
{
    // An absent side reads better as empty than as "{}" / "[]".
    if ((v.isObject() && v.toObject().isEmpty()) || (v.isArray() && v.toArray().isEmpty()))
        return {};
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (v.isUndefined() || v.isNull())
        return {};
    return compactJson(v);
}

QJsonArray messagesArray(const Messages &messages, const QString &direction, QJsonArray out)
{
    for (const Message &m : messages) {
        QJsonArray calls;
        for (const ToolCall &c : m.toolCalls)
            calls.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("arguments"), c.arguments}});
        QJsonObject o{{QStringLiteral("role"), m.role},
                      {QStringLiteral("content"), m.content},
                      {QStringLiteral("toolCalls"), calls},
                      {QStringLiteral("direction"), direction}};
        if (!m.name.isEmpty())
            o.insert(QStringLiteral("name"), m.name);
        if (!m.finishReason.isEmpty())
            o.insert(QStringLiteral("finishReason"), m.finishReason);
        out.append(o);
    }
    return out;
}

bool sameIgnoringIds(const Messages &a, const Messages &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const Message &x = a.at(i);
        const Message &y = b.at(i);
        if (x.role != y.role || x.content != y.content || x.name != y.name || x.finishReason != y.finishReason
            || x.toolCalls.size() != y.toolCalls.size())
            return false;
        for (qsizetype k = 0; k < x.toolCalls.size(); ++k) {
            if (x.toolCalls.at(k).name != y.toolCalls.at(k).name || x.toolCalls.at(k).arguments != y.toolCalls.at(k).arguments)
                return false;
        }
    }
    return true;
}

} // namespace

QJsonValue variantToJsonValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString: return value.toString();
    case QMetaType::Bool: return value.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong: return value.toLongLong();
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = value.toDouble();
        return std::isfinite(d) ? QJsonValue(d) : QJsonValue(QString::number(d));
    }
    case QMetaType::QByteArray: return QString::fromLatin1(value.toByteArray().toBase64());
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
        QJsonArray a;
        for (const QVariant &v : value.toList())
            a.append(variantToJsonValue(v));
        return a;
    }
    case QMetaType::QVariantMap: {
        QJsonObject o;
        const QVariantMap m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            o.insert(it.key(), variantToJsonValue(it.value()));
        return o;
    }
    default: return value.isValid() ? QJsonValue::fromVariant(value) : QJsonValue(QJsonValue::Null);
    }
}

QJsonArray messagesToJson(const Messages &input, const Messages &output)
{
    return messagesArray(output, QStringLiteral("output"), messagesArray(input, QStringLiteral("input"), {}));
}

bool sameMessages(const Span &a, const Span &b)
{
    return sameIgnoringIds(a.inputMessages, b.inputMessages) && sameIgnoringIds(a.outputMessages, b.outputMessages);
}

QJsonObject parametersToJson(const QVariantMap &parameters)
{
    QJsonObject o;
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
        o.insert(it.key(), variantToJsonValue(it.value()));
    return o;
}

QJsonObject attributesToJson(const Attributes &attributes)
{
    QJsonObject o;
    for (const Attribute &a : attributes) {
        if (!o.contains(a.key))
            o.insert(a.key, variantToJsonValue(a.value));
    }
    return o;
}

FieldDiff diffJsonField(const QString &field, const QJsonValue &a, const QJsonValue &b)
{
    FieldDiff d;
    d.field = field;
    d.mode = FieldDiff::Mode::Json;
    d.before = indentedJson(a);
    d.after = indentedJson(b);
    // A missing side is an empty container of the other's type, so every key shows as added
    // (or removed) rather than the whole document as one change.
    QJsonValue va = a, vb = b;
    if ((va.isUndefined() || va.isNull()) && (vb.isObject() || vb.isArray()))
        va = vb.isObject() ? QJsonValue(QJsonObject()) : QJsonValue(QJsonArray());
    if ((vb.isUndefined() || vb.isNull()) && (va.isObject() || va.isArray()))
        vb = va.isObject() ? QJsonValue(QJsonObject()) : QJsonValue(QJsonArray());
    d.keys = diffJson(va, vb, field == QLatin1String("messages") ? field : QString());
    return d;
}

FieldDiff diffTextField(const QString &field, const QString &a, const QString &b)
{
    const QJsonValue ja = parseJsonContainer(a);
    const QJsonValue jb = parseJsonContainer(b);
    const bool jsonA = ja.isObject() || ja.isArray();
    const bool jsonB = jb.isObject() || jb.isArray();
    if ((jsonA && jsonB && ja.type() == jb.type()) || (jsonA && b.trimmed().isEmpty()) || (jsonB && a.trimmed().isEmpty())) {
        return diffJsonField(field, jsonA ? ja : QJsonValue(), jsonB ? jb : QJsonValue());
    }
    FieldDiff d;
    d.field = field;
    d.mode = FieldDiff::Mode::Text;
    d.before = a;
    d.after = b;
    d.words = diffWords(a, b);
    return d;
}

SpanPairDiff diffSpanDetails(const Span *a, const Span *b)
{
    static const Span none;
    const Span &sa = a ? *a : none;
    const Span &sb = b ? *b : none;
    SpanPairDiff d;
    d.input = diffTextField(QStringLiteral("input"), sa.input.value, sb.input.value);
    d.output = diffTextField(QStringLiteral("output"), sa.output.value, sb.output.value);
    d.messages = diffJsonField(QStringLiteral("messages"), messagesToJson(sa.inputMessages, sa.outputMessages),
                               messagesToJson(sb.inputMessages, sb.outputMessages));
    d.parameters = diffJsonField(QStringLiteral("parameters"), parametersToJson(sa.parameters), parametersToJson(sb.parameters));
    d.attributes = diffJsonField(QStringLiteral("attributes"), attributesToJson(sa.attributes), attributesToJson(sb.attributes));
    return d;
}

} // namespace spanscope
