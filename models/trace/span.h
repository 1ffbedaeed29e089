#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <cmath>
#include <memory>
#include <optional>

namespace spanscope {

// What a span did, in LLM terms. `Span` is everything that is not one of the others.
enum class SpanKind : quint8 {
    Span = 0,
    Llm,
    Chain,
    Tool,
    Retriever,
    Embedding,
    Agent,
    Reranker,
    Guardrail,
    Evaluator,
    Prompt,
};
inline constexpr int SpanKindCount = 11;

QString spanKindName(SpanKind kind);                  // "llm", "chain", … "span"
SpanKind spanKindFromName(QStringView name);          // case-insensitive; unknown -> Span

enum class StatusCode : quint8 { Unset = 0, Ok = 1, Error = 2 };
QString statusName(StatusCode code);                  // "unset" | "ok" | "error"
StatusCode statusFromName(QStringView name);

enum class CostSource : quint8 { None = 0, Reported = 1, Computed = 2 };
QString costSourceName(CostSource source);            // "none" | "reported" | "computed"
CostSource costSourceFromName(QStringView name);

// One raw attribute exactly as the producer sent it. Values are QString, bool, qint64, double,
// QByteArray (bytes), QVariantList (array) or QVariantMap (kvlist). The list keeps the producer's
// order and any duplicate keys.
struct Attribute {
    QString key;
    QVariant value;
    friend bool operator==(const Attribute &, const Attribute &) = default;
};
using Attributes = QList<Attribute>;

// First value for `key`, or an invalid QVariant.
QVariant attributeValue(const Attributes &attributes, QStringView key);
// A value rendered as text: strings as they are, numbers in shortest form, arrays/maps as JSON.
QString attributeValueToString(const QVariant &value);

struct ToolCall {
    QString id;
    QString name;
    QString arguments; // usually JSON text
    friend bool operator==(const ToolCall &, const ToolCall &) = default;
};

struct Message {
    QString role;       // system, user, assistant, tool, …
    QString content;    // text parts joined by "\n"
    QList<ToolCall> toolCalls;
    QString toolCallId; // for role "tool": the call this answers
    QString name;       // optional participant / tool name
    QString finishReason;
    friend bool operator==(const Message &, const Message &) = default;
};
using Messages = QList<Message>;

// Counts are -1 when the producer did not say.
struct TokenUsage {
    qint64 input = -1;
    qint64 output = -1;
    qint64 total = -1;
    qint64 cachedInput = -1;    // cache reads, included in `input`
    qint64 cacheCreation = -1;  // cache writes, included in `input`
    qint64 reasoning = -1;      // included in `output`
    bool isEmpty() const { return input < 0 && output < 0 && total < 0 && cachedInput < 0 && cacheCreation < 0 && reasoning < 0; }
    // total if given, else input + output (unknown counts as 0), or -1 if nothing is known.
    qint64 effectiveTotal() const;
    friend bool operator==(const TokenUsage &, const TokenUsage &) = default;
};

struct Payload {
    QString value;
    QString mimeType; // "text/plain", "application/json", or empty when unknown
    bool isEmpty() const { return value.isEmpty(); }
    friend bool operator==(const Payload &, const Payload &) = default;
};

struct SpanEvent {
    qint64 timeNs = 0;
    QString name;
    Attributes attributes;
    bool isException() const { return name == QLatin1String("exception"); }
    QString exceptionType() const;
    QString exceptionMessage() const;
    QString exceptionStacktrace() const;
    friend bool operator==(const SpanEvent &, const SpanEvent &) = default;
};

struct SpanLink {
    QString traceId;
    QString spanId;
    Attributes attributes;
    friend bool operator==(const SpanLink &, const SpanLink &) = default;
};

struct RetrievalDocument {
    QString id;
    QString content;
    std::optional<double> score;
    QVariantMap metadata;
    friend bool operator==(const RetrievalDocument &, const RetrievalDocument &) = default;
};

// Where a span's messages were read from, when that was one attribute: semconv::normalize() (and
// DetailCodec::decode()) record it so the workspace can keep the messages as a reference to that
// attribute instead of a second copy of the same text. The record holds shared copies of the
// attribute's string and of the message lists: as long as the span's own attribute value and
// lists are still those very copies (nothing replaced or changed them; a change detaches them),
// the messages are exactly what the attribute parses to.
struct MessageSource {
    qsizetype attribute = -1;  // index in Span::attributes, or -1 (none)
    QString text;              // that attribute's string value when it was parsed
    Messages messages;         // what it parsed to

    // attributes[index] (a string) and the messages read from it; none when it is not a string.
    static MessageSource of(const Attributes &attributes, qsizetype index, const Messages &messages);
    // True while attributes[attribute] and `current` are still the copies recorded here.
    bool stillHolds(const Attributes &attributes, const Messages &current) const;
    bool isSet() const { return attribute >= 0; }
};
struct MessageOrigin {
    MessageSource input;
    MessageSource output;
};

// The string value of attributes[index], or nullptr (out of range, or not a string).
const QString *stringAttribute(const Attributes &attributes, qsizetype index);

// Provenance, not content: two spans with the same fields are equal wherever their messages came
// from.
struct MessageOriginRef {
    std::shared_ptr<const MessageOrigin> origin;
    friend bool operator==(const MessageOriginRef &, const MessageOriginRef &) { return true; }
};

struct Cost {
    double totalUsd = 0;   // meaningful only when source != None
    double inputUsd = 0;
    double outputUsd = 0;
    CostSource source = CostSource::None;
    bool isKnown() const { return source != CostSource::None; }
    friend bool operator==(const Cost &, const Cost &) = default;
};

} // namespace spanscope

// Qt containers and strings, QVariant and plain values may all be moved as bytes: lists of these
// grow with realloc instead of moving element by element.
Q_DECLARE_TYPEINFO(spanscope::Attribute, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(spanscope::ToolCall, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(spanscope::Message, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(spanscope::SpanEvent, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(spanscope::SpanLink, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(spanscope::RetrievalDocument, Q_RELOCATABLE_TYPE);

namespace spanscope {

struct Span {
    QString traceId;
    QString spanId;
    QString parentSpanId;   // empty for a root
    QString name;
    SpanKind kind = SpanKind::Span;
    int otelKind = 0;       // OTLP SpanKind 0–5 (unspecified, internal, server, client, producer, consumer)
    QString serviceName;
    QString scopeName;
    QString scopeVersion;
    qint64 startNs = 0;     // ns since the Unix epoch
    qint64 endNs = 0;       // 0 while the span is still running (or the producer never said)
    StatusCode status = StatusCode::Unset;
    QString statusMessage;

    // LLM semantics (filled by the semantic-convention mapper or a vendor importer)
    QString operation;      // gen_ai.operation.name or equivalent
    QString requestModel;
    QString responseModel;
    QString provider;
    QVariantMap parameters; // temperature, max_tokens, top_p, … (invocation parameters)
    Payload input;
    Payload output;
    Messages inputMessages;
    Messages outputMessages;
    TokenUsage tokens;
    Cost cost;
    QString toolName;
    QString agentName;
    QList<RetrievalDocument> documents;
    QString sessionId;
    QString userId;
    QStringList tags;
    QVariantMap metadata;

    // Everything the producer sent, untouched.
    Attributes attributes;
    Attributes resourceAttributes;
    Attributes scopeAttributes;
    QList<SpanEvent> events;
    QList<SpanLink> links;

    MessageOriginRef messageOrigin;  // set by semconv::normalize(); see MessageOrigin

    bool isRoot() const { return parentSpanId.isEmpty(); }
    bool hasEnded() const { return endNs > 0; }
    qint64 durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
    // The model that answered if known, else the one asked for.
    QString model() const { return responseModel.isEmpty() ? requestModel : responseModel; }
    bool isError() const { return status == StatusCode::Error; }

    friend bool operator==(const Span &, const Span &) = default;
};

} // namespace spanscope

// Every member (Qt containers and strings, QVariant, a shared_ptr, plain values) may be moved as bytes, so
// QList<Span> grows with realloc and permuteInPlace() can reorder spans with memcpy.
Q_DECLARE_TYPEINFO(spanscope::Span, Q_RELOCATABLE_TYPE);

namespace spanscope {
using SpanList = QList<Span>;
} // namespace spanscope

Q_DECLARE_METATYPE(spanscope::Span)
