#pragma once

// Internal to spanscope_formats: what the vendor importers (Jaeger, Zipkin, Langfuse, LangSmith,
// Portkey) share — safe accessors on a per-element JSON DOM, ids, and the builder that writes a
// vendor span's LLM data as the standard attributes semconv::normalize() reads. Not installed;
// nlohmann stays private to this library.
//
// Why attributes rather than Span fields: the LLM fields of every span are derived from its
// attributes by normalize(), so a vendor span exported as OTLP and imported again comes back
// field for field; and the inspector shows where each value came from. Vendor fields without a
// standard attribute are kept under "<vendor>.<field>", so nothing the export held is lost.

#include "trace/span.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace spanscope::vendor {

// ordered_json keeps the producer's key order, so payloads re-serialised as text read the way the
// producer wrote them.
using Json = nlohmann::ordered_json;

// ---- accessors (never throw) ---------------------------------------------------------------

// The member `key` of an object, or nullptr when `object` is not an object, lacks the key or holds
// JSON null there.
const Json *member(const Json &object, std::string_view key);
// Follows a path of object keys.
const Json *path(const Json &object, std::initializer_list<std::string_view> keys);
QString toQString(const std::string &s);
// Strings as they are, numbers and booleans as JSON text, containers as compact JSON, null empty.
QString text(const Json &value);
QString text(const Json *value);
QString memberText(const Json &object, std::string_view key);
// Compact JSON (invalid UTF-8 replaced, never throws).
QString compact(const Json &value);
// Integer from an integer, an integral double or a decimal string.
std::optional<qint64> toInt(const Json *value);
std::optional<double> toDouble(const Json *value);
// true/false, 1/0, "true"/"false", "1"/"0", "TRUE"…
std::optional<bool> toBool(const Json *value);
// An ISO-8601 string, or an epoch number (or numeric string) whose unit is guessed.
std::optional<qint64> toTimeNs(const Json *value);
// JSON text parsed (objects/arrays only); nullopt when it is not one.
std::optional<Json> parseContainer(const QString &text);
// A value as an attribute: strings, booleans, integers and doubles typed; objects and arrays as
// compact JSON text; null as an invalid QVariant.
QVariant toAttributeValue(const Json &value);

// ---- ids -----------------------------------------------------------------------------------

// Hex ids lower-cased and left-padded with zeros to 16 or 32 digits (Jaeger drops leading zeros;
// 64-bit trace ids stay 16 digits); anything else (UUIDs, free text) kept as given, trimmed.
QString normalizeId(const QString &raw, bool isTraceId);
// A stable id from content: the first `hexDigits` hex digits of its SHA-256.
QString hashId(QByteArrayView content, int hexDigits);

// ---- chat messages -------------------------------------------------------------------------

// The chat messages in a vendor payload as a GenAI `gen_ai.{input,output}.messages` array
// ([{role, parts:[{type:"text",content} | {type:"tool_call",id,name,arguments} |
// {type:"tool_call_response",id,response}], name?, finish_reason?}]), or nullopt when the payload
// holds none. Understands OpenAI requests/responses (messages, choices, tool_calls,
// function_call), Anthropic messages and content blocks (system, tool_use, tool_result), GenAI
// parts, LangChain messages (serialised `lc` constructors, {type:"human",…}, nested batches,
// generations) and {prompts:[…]}.
std::optional<Json> chatMessages(const Json &payload);

// Token counts in the usage shapes of OpenAI (prompt_tokens, *_details), LangChain
// usage_metadata (input_tokens, input_token_details), Anthropic (cache_read_input_tokens) and
// Langfuse (input/output/total, promptTokens…). Unknown counts stay -1.
TokenUsage usageFrom(const Json &usage);

// ---- attributes ----------------------------------------------------------------------------

// Writes a vendor span's data as standard attributes (OpenTelemetry GenAI, OpenInference) so that
// semconv::normalize() fills the Span fields from them, and raw vendor fields under a prefix.
class AttributeBuilder
{
public:
    explicit AttributeBuilder(Attributes &attributes) : m_attributes(attributes) {}

    // Invalid values are skipped, so optional fields can be passed through unchecked.
    void set(const QString &key, const QVariant &value);
    void setText(const QString &key, const QString &value);   // skipped when empty
    void setJson(const QString &key, const Json *value);      // toAttributeValue(); skipped when absent

    void kind(SpanKind kind);                                  // openinference.span.kind (none for Span)
    void operation(const QString &operation);                  // gen_ai.operation.name
    void provider(const QString &provider);                    // gen_ai.provider.name
    void requestModel(const QString &model);                   // gen_ai.request.model
    void responseModel(const QString &model);                  // gen_ai.response.model
    void parameters(const Json &object);                       // llm.invocation_parameters (JSON text)
    // input.value / output.value (+ mime type) and, when the payload holds chat messages,
    // gen_ai.input.messages / gen_ai.output.messages.
    void input(const Json *payload);
    void output(const Json *payload);
    void tokens(const TokenUsage &usage);                      // gen_ai.usage.*
    void cost(std::optional<double> input, std::optional<double> output, std::optional<double> total);  // llm.cost.*
    void session(const QString &id);                           // session.id
    void user(const QString &id);                              // user.id
    void tags(const Json *tags);                               // tag.tags (string array)
    void tags(const QStringList &tags);
    void metadata(const Json *metadata);                       // metadata (JSON text)
    void toolName(const QString &name);                        // tool.name

    // Every member of `object` not in `consumed` as "<prefix><key>" (see toAttributeValue).
    void rest(const QString &prefix, const Json &object, std::initializer_list<std::string_view> consumed);

private:
    void payload(const Json *payload, bool isInput);
    Attributes &m_attributes;
};

// The exception event of an error (OpenTelemetry exception.* attributes).
SpanEvent exceptionEvent(qint64 timeNs, const QString &type, const QString &message, const QString &stacktrace);

// Resource attributes holding service.name (the importer's way of setting Span::serviceName, as
// OTLP does, so the service survives an OTLP round trip).
void setService(Span &span, const QString &serviceName);

} // namespace spanscope::vendor
