#pragma once

// Internal to spanscope_semconv: turns the many JSON shapes producers use for chat messages into
// spanscope::Message values. Not installed; nlohmann stays private to this library.

#include "trace/span.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace spanscope::semconv::detail {

// ordered_json keeps the producer's key order, so tool-call arguments re-serialised as compact
// text read the way the producer wrote them.
using Json = nlohmann::ordered_json;

// Parses text as JSON; nullopt when it is not valid JSON or nests more than 64 levels deep.
// Never throws.
std::optional<Json> parseJson(QStringView text);
// True when the trimmed text starts like a JSON object or array: the cheap test done before
// paying for a parse.
bool looksLikeJsonContainer(QStringView text);

// Values nested deeper than parseJson() accepts become null.
Json variantToJson(const QVariant &value);
Json variantToJson(const QVariant &value, int depth);
QVariant jsonToVariant(const Json &json);
QString jsonToQString(const std::string &s);
// Strings as they are, everything else as compact JSON.
QString jsonToText(const Json &json);
// Tool-call arguments as compact JSON text: objects are dumped, strings holding JSON are
// compacted, other strings kept as they are.
QString argumentsText(const Json &json);
QString argumentsText(const QString &text);

// Appends the messages found in `json` to `out`. Accepts an array of messages, one message
// object, {"messages":[…]}, an OpenAI response {"choices":[…]}, a completion {"text",
// "finish_reason"} or a bare string. Messages use GenAI `parts`, OpenAI `content` (string or
// content-part array) and `tool_calls`, or Anthropic content blocks. Returns false when nothing
// usable was found.
bool appendMessages(const Json &json, const QString &defaultRole, Messages &out);
// One message object (see above); tool responses inside it become extra role "tool" messages.
void appendMessageObject(const Json &object, const QString &defaultRole, Messages &out);
// appendMessages() of JSON text: what it returned, or nullopt when the text is not valid JSON (by
// parseJson()'s rules). Plain JSON is read without building nlohmann's DOM (see lightjson.h).
std::optional<bool> appendMessagesFromText(QStringView text, const QString &defaultRole, Messages &out);

} // namespace spanscope::semconv::detail
