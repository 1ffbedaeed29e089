#pragma once

#include "jsondiff.h"
#include "textdiff.h"
#include "trace/span.h"

#include <QJsonArray>
#include <QJsonObject>

namespace spanscope {

// One detail field of a span pair, diffed the way it reads best: word by word for text, key by key
// for JSON.
struct FieldDiff {
    enum class Mode : quint8 { Text, Json };
    QString field;            // "input", "output", "messages", "parameters", "attributes"
    Mode mode = Mode::Text;
    QString before;           // A's value as text (indented JSON in Json mode), "" when absent
    QString after;            // B's
    TextDiff words;           // Text mode
    QList<JsonChange> keys;   // Json mode
    bool changed() const { return mode == Mode::Text ? hasChanges(words) : !keys.isEmpty(); }
};

// Text fields: a JSON key diff when both sides hold a JSON object or array (or one side is empty
// and the other one does), else a word diff.
FieldDiff diffTextField(const QString &field, const QString &a, const QString &b);
// Structured fields: always a key diff.
FieldDiff diffJsonField(const QString &field, const QJsonValue &a, const QJsonValue &b);

// The detail fields of a pair. `a` or `b` may be null (an added or removed span: everything is
// added or removed).
struct SpanPairDiff {
    FieldDiff input;
    FieldDiff output;
    FieldDiff messages;     // key diff of messagesToJson(): `messages[1].content`
    FieldDiff parameters;
    FieldDiff attributes;
    QList<const FieldDiff *> fields() const { return {&input, &output, &messages, &parameters, &attributes}; }
};
SpanPairDiff diffSpanDetails(const Span *a, const Span *b);

// Input then output messages as a JSON array ({role, content, toolCalls: [{name, arguments}],
// name?, finishReason?, direction}). Tool-call ids are left out: they are random per run, and two
// runs that said the same thing should compare equal.
QJsonArray messagesToJson(const Messages &input, const Messages &output);
bool sameMessages(const Span &a, const Span &b);   // equal ignoring tool-call ids
QJsonObject parametersToJson(const QVariantMap &parameters);
QJsonObject attributesToJson(const Attributes &attributes);   // the first value of a repeated key wins
QJsonValue variantToJsonValue(const QVariant &value);

} // namespace spanscope
