#include "vendorjson.h"

#include "timestamps.h"

#include <QCryptographicHash>

#include <charconv>
#include <cmath>
#include <limits>

namespace spanscope::vendor {

// ---- accessors -----------------------------------------------------------------------------

const Json *member(const Json &object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(std::string(key));
    if (it == object.end() || it->is_null())
        return nullptr;
    return &*it;
}

const Json *path(const Json &object, std::initializer_list<std::string_view> keys)
{
    const Json *at = &object;
    for (std::string_view k : keys) {
        at = member(*at, k);
        if (!at)
            return nullptr;
    }
    return at;
}

QString toQString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString compact(const Json &value)
{
    try {
        return toQString(value.dump(-1, ' ', false, Json::error_handler_t::replace));
    } catch (const std::exception &) {
        return {};
    }
}

QString text(const Json &value)
{
    if (value.is_string())
        return toQString(value.get_ref<const std::string &>());
    if (value.is_null() || value.is_discarded())
        return {};
    return compact(value);
}

QString text(const Json *value)
{
    return value ? text(*value) : QString();
}

QString memberText(const Json &object, std::string_view key)
{
    return text(member(object, key));
}

std::optional<qint64> toInt(const Json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number_integer()) {
        if (value->is_number_unsigned()) {
            const auto u = value->get<std::uint64_t>();
            if (u > std::uint64_t(std::numeric_limits<qint64>::max()))
                return std::nullopt;
            return qint64(u);
        }
        return qint64(value->get<std::int64_t>());
    }
    if (value->is_number_float()) {
        const double d = value->get<double>();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
            return qint64(d);
        return std::nullopt;
    }
    if (value->is_string()) {
        const std::string &s = value->get_ref<const std::string &>();
        qint64 out = 0;
        const char *b = s.data();
        const char *e = b + s.size();
        while (b != e && *b == ' ')
            ++b;
        while (e != b && e[-1] == ' ')
            --e;
        if (b != e && *b == '+')
            ++b;
        const auto [p, ec] = std::from_chars(b, e, out);
        if (ec == std::errc() && p == e && b != e)
            return out;
        // "12.0"
        double d = 0;
        const auto [p2, ec2] = std::from_chars(b, e, d);
        if (ec2 == std::errc() && p2 == e && std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
            return qint64(d);
    }
    return std::nullopt;
}

std::optional<double> toDouble(const Json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number())
        return value->get<double>();
    if (value->is_string()) {
        const std::string &s = value->get_ref<const std::string &>();
        double d = 0;
        const char *b = s.data();
        const char *e = b + s.size();
        while (b != e && *b == ' ')
            ++b;
        while (e != b && e[-1] == ' ')
            --e;
        if (b != e && *b == '+')
            ++b;
        const auto [p, ec] = std::from_chars(b, e, d);
        if (ec == std::errc() && p == e && b != e && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

std::optional<bool> toBool(const Json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_boolean())
        return value->get<bool>();
    if (value->is_number_integer()) {
        const auto i = toInt(value);
        if (i && (*i == 0 || *i == 1))
            return *i == 1;
        return std::nullopt;
    }
    if (value->is_string()) {
        const QString s = text(*value).trimmed().toLower();
        if (s == u"true" || s == u"1" || s == u"yes")
            return true;
        if (s == u"false" || s == u"0" || s == u"no")
            return false;
    }
    return std::nullopt;
}

std::optional<qint64> toTimeNs(const Json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_string()) {
        const std::string &s = value->get_ref<const std::string &>();
        if (auto t = timestamps::parseIso8601(s))
            return t;
        if (auto d = toDouble(value))
            return timestamps::epochToNs(*d);
        return std::nullopt;
    }
    if (value->is_number_integer()) {
        if (const auto i = toInt(value); i && *i >= 0) {
            // Integers keep full precision (a double cannot hold every nanosecond).
            if (*i >= 100000000000000000LL)
                return *i;
            if (*i >= 100000000000000LL)
                return timestamps::scaled(*i, 1000);
            if (*i >= 100000000000LL)
                return timestamps::scaled(*i, 1000000);
            return timestamps::scaled(*i, 1000000000);
        }
        return std::nullopt;
    }
    if (value->is_number_float())
        return timestamps::epochToNs(value->get<double>());
    return std::nullopt;
}

std::optional<Json> parseContainer(const QString &text)
{
    const QStringView t = QStringView(text).trimmed();
    if (t.size() < 2 || !((t.front() == u'{' && t.back() == u'}') || (t.front() == u'[' && t.back() == u']')))
        return std::nullopt;
    const QByteArray utf8 = t.toUtf8();
    // Refuse deep nesting: serialising recurses.
    int depth = 0, maxDepth = 0;
    bool inString = false, escaped = false;
    for (const char c : utf8) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            maxDepth = std::max(maxDepth, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    if (maxDepth > 100)
        return std::nullopt;
    Json j = Json::parse(utf8.constData(), utf8.constData() + utf8.size(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return std::nullopt;
    return j;
}

QVariant toAttributeValue(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::string: return toQString(value.get_ref<const std::string &>());
    case Json::value_t::boolean: return value.get<bool>();
    case Json::value_t::number_integer: return qint64(value.get<std::int64_t>());
    case Json::value_t::number_unsigned: {
        const auto u = value.get<std::uint64_t>();
        if (u <= std::uint64_t(std::numeric_limits<qint64>::max()))
            return qint64(u);
        return QString::number(u);
    }
    case Json::value_t::number_float: return value.get<double>();
    case Json::value_t::object:
    case Json::value_t::array: return compact(value);
    default: return {};
    }
}

// ---- ids -----------------------------------------------------------------------------------

QString normalizeId(const QString &raw, bool isTraceId)
{
    const QString id = raw.trimmed();
    if (id.isEmpty() || id.size() > 32)
        return id;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool hex = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
        if (!hex)
            return id;
    }
    const qsizetype width = isTraceId && id.size() > 16 ? 32 : 16;
    if (!isTraceId && id.size() > 16)
        return id.toLower();
    return id.toLower().rightJustified(width, QLatin1Char('0'));
}

QString hashId(QByteArrayView content, int hexDigits)
{
    const QByteArray digest = QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
    return QString::fromLatin1(digest.left(hexDigits));
}

// ---- chat messages -------------------------------------------------------------------------

namespace {

std::string str(const Json &object, std::string_view key)
{
    const Json *v = member(object, key);
    if (!v)
        return {};
    if (v->is_string())
        return v->get<std::string>();
    return text(*v).toStdString();
}

// The role of a LangChain message: serialised constructors name the class, plain dicts the type.
std::string langChainRole(const std::string &typeOrClass, const Json &fields)
{
    static const std::pair<const char *, const char *> map[] = {
        {"human", "user"}, {"HumanMessage", "user"}, {"HumanMessageChunk", "user"},
        {"ai", "assistant"}, {"AIMessage", "assistant"}, {"AIMessageChunk", "assistant"},
        {"system", "system"}, {"SystemMessage", "system"}, {"SystemMessageChunk", "system"},
        {"tool", "tool"}, {"ToolMessage", "tool"}, {"ToolMessageChunk", "tool"},
        {"function", "tool"}, {"FunctionMessage", "tool"},
    };
    for (const auto &[from, to] : map) {
        if (typeOrClass == from)
            return to;
    }
    // ChatMessage / "chat" carry their own role.
    const std::string role = str(fields, "role");
    return role.empty() ? std::string("user") : role;
}

bool isLangChainSerialized(const Json &j)
{
    const Json *id = member(j, "id");
    const Json *kwargs = member(j, "kwargs");
    return member(j, "lc") && id && id->is_array() && !id->empty() && id->back().is_string() && kwargs && kwargs->is_object()
        && id->back().get_ref<const std::string &>().find("Message") != std::string::npos;
}

bool isLangChainDict(const Json &j)
{
    static const char *types[] = {"human", "ai", "system", "tool", "function", "chat", "generic"};
    const Json *type = member(j, "type");
    if (!type || !type->is_string() || !member(j, "content"))
        return false;
    for (const char *t : types) {
        if (type->get_ref<const std::string &>() == t)
            return true;
    }
    return false;
}

bool isMessageObject(const Json &j)
{
    if (!j.is_object())
        return false;
    if (const Json *role = member(j, "role"); role && role->is_string())
        return true;
    return isLangChainSerialized(j) || isLangChainDict(j);
}

Json textPart(const Json &content)
{
    return Json{{"type", "text"}, {"content", content.is_string() ? content : Json(text(content).toStdString())}};
}

Json toolCallPart(const Json &call)
{
    Json part{{"type", "tool_call"}};
    if (const Json *id = member(call, "id"))
        part["id"] = *id;
    else if (const Json *callId = member(call, "call_id"))
        part["id"] = *callId;
    const Json *fn = member(call, "function");
    if (const Json *name = fn ? member(*fn, "name") : nullptr)
        part["name"] = *name;
    else if (const Json *n = member(call, "name"))
        part["name"] = *n;
    if (const Json *args = fn ? member(*fn, "arguments") : nullptr)
        part["arguments"] = *args;
    else if (const Json *a = member(call, "arguments"))
        part["arguments"] = *a;
    else if (const Json *lc = member(call, "args"))   // LangChain tool_calls
        part["arguments"] = *lc;
    else if (const Json *in = member(call, "input"))   // Anthropic tool_use
        part["arguments"] = *in;
    return part;
}

void appendContentParts(const Json &content, Json &parts)
{
    if (content.is_string()) {
        if (!content.get_ref<const std::string &>().empty())
            parts.push_back(textPart(content));
        return;
    }
    if (!content.is_array()) {
        if (!content.is_null())
            parts.push_back(textPart(content));
        return;
    }
    for (const Json &block : content) {
        if (block.is_string()) {
            parts.push_back(textPart(block));
            continue;
        }
        if (!block.is_object())
            continue;
        const std::string type = str(block, "type");
        if (type == "text" || type == "input_text" || type == "output_text") {
            if (const Json *t = member(block, "text"))
                parts.push_back(textPart(*t));
            else if (const Json *c = member(block, "content"))
                parts.push_back(textPart(*c));
        } else if (type == "tool_use" || type == "function_call") {
            parts.push_back(toolCallPart(block));
        } else if (type == "tool_result" || type == "function_call_output") {
            Json part{{"type", "tool_call_response"}};
            if (const Json *id = member(block, "tool_use_id"))
                part["id"] = *id;
            else if (const Json *callId = member(block, "call_id"))
                part["id"] = *callId;
            if (const Json *c = member(block, "content"))
                part["response"] = *c;
            else if (const Json *o = member(block, "output"))
                part["response"] = *o;
            parts.push_back(std::move(part));
        } else {
            // GenAI parts (text with "content", tool_call, tool_call_response) and media blocks
            // pass through as they are.
            parts.push_back(block);
        }
    }
}

// One message in GenAI form.
Json convertMessage(const Json &message, const std::string &defaultRole)
{
    const Json *fields = &message;
    std::string role;
    if (isLangChainSerialized(message)) {
        fields = member(message, "kwargs");
        role = langChainRole(member(message, "id")->back().get<std::string>(), *fields);
    } else if (!member(message, "role") && isLangChainDict(message)) {
        role = langChainRole(str(message, "type"), message);
    } else {
        role = str(message, "role");
    }
    if (role.empty())
        role = defaultRole;
    const Json &m = *fields;

    Json out{{"role", role}};
    Json parts = Json::array();
    if (const Json *p = member(m, "parts"); p && p->is_array()) {
        for (const Json &part : *p)
            parts.push_back(part);
    }
    if (const Json *content = member(m, "content"))
        appendContentParts(*content, parts);
    else if (const Json *t = member(m, "text"))
        appendContentParts(*t, parts);

    const Json *calls = member(m, "tool_calls");
    if (!calls || !calls->is_array() || calls->empty()) {
        if (const Json *extra = path(m, {"additional_kwargs", "tool_calls"}))
            calls = extra;
    }
    if (calls && calls->is_array()) {
        for (const Json &call : *calls) {
            if (call.is_object())
                parts.push_back(toolCallPart(call));
        }
    }
    const Json *fn = member(m, "function_call");
    if (!fn)
        fn = path(m, {"additional_kwargs", "function_call"});
    if (fn && fn->is_object())
        parts.push_back(toolCallPart(*fn));

    const std::string toolCallId = str(m, "tool_call_id");
    if (role == "tool" && !toolCallId.empty()) {
        // The answer to a call: one tool_call_response part holding the text.
        Json response;
        const Json *content = member(m, "content");
        response = content ? *content : Json("");
        parts = Json::array({Json{{"type", "tool_call_response"}, {"id", toolCallId}, {"response", response}}});
    }
    out["parts"] = std::move(parts);
    if (const Json *name = member(m, "name"); name && name->is_string())
        out["name"] = *name;
    std::string finish = str(m, "finish_reason");
    if (finish.empty())
        finish = str(m, "stop_reason");
    if (finish.empty())
        finish = text(path(m, {"response_metadata", "finish_reason"})).toStdString();
    if (!finish.empty())
        out["finish_reason"] = finish;
    return out;
}

bool allMessages(const Json &array)
{
    if (!array.is_array() || array.empty())
        return false;
    for (const Json &item : array) {
        if (!isMessageObject(item))
            return false;
    }
    return true;
}

void appendMessages(const Json &array, const std::string &defaultRole, Json &out)
{
    for (const Json &item : array)
        out.push_back(convertMessage(item, defaultRole));
}

} // namespace

std::optional<Json> chatMessages(const Json &payload)
{
    Json out = Json::array();
    if (payload.is_array()) {
        bool batches = !payload.empty();
        for (const Json &item : payload)
            batches = batches && allMessages(item);
        if (batches) {
            // LangChain sends one list of messages per prompt in the batch.
            for (const Json &batch : payload)
                appendMessages(batch, "user", out);
        } else if (allMessages(payload)) {
            appendMessages(payload, "user", out);
        }
    } else if (payload.is_object()) {
        const Json *messages = member(payload, "messages");
        const Json *choices = member(payload, "choices");
        const Json *generations = member(payload, "generations");
        const Json *prompts = member(payload, "prompts");
        if (messages && messages->is_array()) {
            if (const Json *system = member(payload, "system")) {
                // Anthropic: the system prompt sits beside the messages.
                Json sys{{"role", "system"}, {"parts", Json::array()}};
                appendContentParts(*system, sys["parts"]);
                if (!sys["parts"].empty())
                    out.push_back(std::move(sys));
            }
            if (std::optional<Json> inner = chatMessages(*messages))
                for (Json &m : *inner)
                    out.push_back(std::move(m));
        } else if (choices && choices->is_array()) {
            for (const Json &choice : *choices) {
                if (!choice.is_object())
                    continue;
                Json m;
                if (const Json *msg = member(choice, "message"); msg && msg->is_object())
                    m = convertMessage(*msg, "assistant");
                else if (const Json *delta = member(choice, "delta"); delta && delta->is_object())
                    m = convertMessage(*delta, "assistant");
                else if (member(choice, "text"))
                    m = convertMessage(choice, "assistant");
                else
                    continue;
                if (const Json *finish = member(choice, "finish_reason"); finish && !m.contains("finish_reason"))
                    m["finish_reason"] = text(*finish).toStdString();
                out.push_back(std::move(m));
            }
        } else if (generations && generations->is_array()) {
            for (const Json &batch : *generations) {
                const Json one = batch.is_array() ? batch : Json::array({batch});
                for (const Json &g : one) {
                    if (!g.is_object())
                        continue;
                    Json m;
                    if (const Json *msg = member(g, "message"); msg && isMessageObject(*msg))
                        m = convertMessage(*msg, "assistant");
                    else if (const Json *t = member(g, "text"))
                        m = Json{{"role", "assistant"}, {"parts", Json::array({textPart(*t)})}};
                    else
                        continue;
                    if (const Json *finish = path(g, {"generation_info", "finish_reason"}); finish && !m.contains("finish_reason"))
                        m["finish_reason"] = text(*finish).toStdString();
                    out.push_back(std::move(m));
                }
            }
        } else if (prompts && prompts->is_array()) {
            for (const Json &p : *prompts) {
                if (p.is_string())
                    out.push_back(Json{{"role", "user"}, {"parts", Json::array({textPart(p)})}});
            }
        } else if (isMessageObject(payload)) {
            out.push_back(convertMessage(payload, "assistant"));
        }
    }
    if (out.empty())
        return std::nullopt;
    return out;
}

TokenUsage usageFrom(const Json &usage)
{
    TokenUsage u;
    if (!usage.is_object())
        return u;
    auto count = [&](std::initializer_list<std::string_view> keys) -> qint64 {
        for (std::string_view k : keys) {
            if (const auto v = toInt(member(usage, k)); v && *v >= 0)
                return *v;
        }
        return -1;
    };
    auto nested = [&](std::string_view object, std::string_view key) -> qint64 {
        const Json *o = member(usage, object);
        const auto v = o ? toInt(member(*o, key)) : std::nullopt;
        return v && *v >= 0 ? *v : -1;
    };
    auto add = [](qint64 a, qint64 b) { return a < 0 ? b : (b < 0 ? a : a + b); };

    if (const Json *unit = member(usage, "unit"); unit && unit->is_string()) {
        const QString u8 = text(*unit).toUpper();
        if (!u8.isEmpty() && u8 != u"TOKENS")
            return u;   // Langfuse usage in characters, images, seconds… is not tokens
    }

    if (member(usage, "prompt_tokens") || member(usage, "completion_tokens")) {
        // OpenAI: prompt_tokens includes the cached ones, completion_tokens the reasoning ones.
        u.input = count({"prompt_tokens"});
        u.output = count({"completion_tokens"});
        u.total = count({"total_tokens"});
        u.cachedInput = nested("prompt_tokens_details", "cached_tokens");
        u.reasoning = nested("completion_tokens_details", "reasoning_tokens");
        return u;
    }
    if (member(usage, "input_token_details") || member(usage, "output_token_details")
        || (member(usage, "input_tokens") && member(usage, "total_tokens"))) {
        // LangChain usage_metadata: input_tokens includes cache reads and writes.
        u.input = count({"input_tokens"});
        u.output = count({"output_tokens"});
        u.total = count({"total_tokens"});
        u.cachedInput = nested("input_token_details", "cache_read");
        u.cacheCreation = nested("input_token_details", "cache_creation");
        u.reasoning = nested("output_token_details", "reasoning");
        return u;
    }
    if (member(usage, "input_tokens") || member(usage, "output_tokens")) {
        // Anthropic: input_tokens excludes the cache reads and writes reported beside it.
        u.cachedInput = count({"cache_read_input_tokens"});
        u.cacheCreation = count({"cache_creation_input_tokens"});
        u.input = add(add(count({"input_tokens"}), u.cachedInput), u.cacheCreation);
        u.output = count({"output_tokens"});
        u.total = count({"total_tokens"});
        return u;
    }
    if (member(usage, "promptTokens") || member(usage, "completionTokens")) {
        u.input = count({"promptTokens"});
        u.output = count({"completionTokens"});
        u.total = count({"totalTokens"});
        return u;
    }
    // Langfuse usageDetails: disjoint buckets ("input", "input_cached_tokens",
    // "output_reasoning_tokens", …) that add up to "total".
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        const std::string &key = it.key();
        const auto v = toInt(&it.value());
        if (!v || *v < 0)
            continue;
        if (key == "input" || key == "prompt")
            u.input = add(u.input, *v);
        else if (key == "output" || key == "completion")
            u.output = add(u.output, *v);
        else if (key == "total")
            u.total = *v;
        else if (key.find("cache_read") != std::string::npos || key.find("cached") != std::string::npos
                 || key.find("cache_hit") != std::string::npos) {
            u.cachedInput = add(u.cachedInput, *v);
            u.input = add(u.input, *v);
        } else if (key.find("cache_creation") != std::string::npos || key.find("cache_write") != std::string::npos) {
            u.cacheCreation = add(u.cacheCreation, *v);
            u.input = add(u.input, *v);
        } else if (key.find("reasoning") != std::string::npos) {
            u.reasoning = add(u.reasoning, *v);
            u.output = add(u.output, *v);
        }
    }
    return u;
}

// ---- attributes ----------------------------------------------------------------------------

void AttributeBuilder::set(const QString &key, const QVariant &value)
{
    if (value.isValid())
        m_attributes.push_back(Attribute{key, value});
}

void AttributeBuilder::setText(const QString &key, const QString &value)
{
    if (!value.isEmpty())
        m_attributes.push_back(Attribute{key, value});
}

void AttributeBuilder::setJson(const QString &key, const Json *value)
{
    if (value)
        set(key, toAttributeValue(*value));
}

void AttributeBuilder::kind(SpanKind kind)
{
    if (kind != SpanKind::Span)
        set(QStringLiteral("openinference.span.kind"), spanKindName(kind).toUpper());
}

void AttributeBuilder::operation(const QString &operation)
{
    setText(QStringLiteral("gen_ai.operation.name"), operation);
}

void AttributeBuilder::provider(const QString &provider)
{
    setText(QStringLiteral("gen_ai.provider.name"), provider);
}

void AttributeBuilder::requestModel(const QString &model)
{
    setText(QStringLiteral("gen_ai.request.model"), model);
}

void AttributeBuilder::responseModel(const QString &model)
{
    setText(QStringLiteral("gen_ai.response.model"), model);
}

void AttributeBuilder::parameters(const Json &object)
{
    if (object.is_object() && !object.empty())
        set(QStringLiteral("llm.invocation_parameters"), compact(object));
}

void AttributeBuilder::payload(const Json *payload, bool isInput)
{
    if (!payload)
        return;
    const QString valueKey = isInput ? QStringLiteral("input.value") : QStringLiteral("output.value");
    const QString mimeKey = isInput ? QStringLiteral("input.mime_type") : QStringLiteral("output.mime_type");
    if (payload->is_string()) {
        const QString s = text(*payload);
        if (s.isEmpty())
            return;
        set(valueKey, s);
        set(mimeKey, QStringLiteral("text/plain"));
        return;
    }
    if ((payload->is_object() || payload->is_array()) && payload->empty())
        return;
    set(valueKey, compact(*payload));
    set(mimeKey, payload->is_structured() ? QStringLiteral("application/json") : QStringLiteral("text/plain"));
    if (std::optional<Json> messages = chatMessages(*payload))
        set(isInput ? QStringLiteral("gen_ai.input.messages") : QStringLiteral("gen_ai.output.messages"), compact(*messages));
}

void AttributeBuilder::input(const Json *payload)
{
    this->payload(payload, true);
}

void AttributeBuilder::output(const Json *payload)
{
    this->payload(payload, false);
}

void AttributeBuilder::tokens(const TokenUsage &usage)
{
    auto put = [&](const char *key, qint64 n) {
        if (n >= 0)
            set(QString::fromLatin1(key), n);
    };
    put("gen_ai.usage.input_tokens", usage.input);
    put("gen_ai.usage.output_tokens", usage.output);
    put("gen_ai.usage.total_tokens", usage.total);
    put("gen_ai.usage.cache_read.input_tokens", usage.cachedInput);
    put("gen_ai.usage.cache_creation.input_tokens", usage.cacheCreation);
    put("gen_ai.usage.reasoning.output_tokens", usage.reasoning);
}

void AttributeBuilder::cost(std::optional<double> input, std::optional<double> output, std::optional<double> total)
{
    if (input)
        set(QStringLiteral("llm.cost.prompt"), *input);
    if (output)
        set(QStringLiteral("llm.cost.completion"), *output);
    if (total)
        set(QStringLiteral("llm.cost.total"), *total);
}

void AttributeBuilder::session(const QString &id)
{
    setText(QStringLiteral("session.id"), id);
}

void AttributeBuilder::user(const QString &id)
{
    setText(QStringLiteral("user.id"), id);
}

void AttributeBuilder::tags(const Json *tags)
{
    if (!tags)
        return;
    QStringList list;
    if (tags->is_array()) {
        for (const Json &t : *tags) {
            if (!t.is_null())
                list << text(t);
        }
    } else {
        list << text(*tags);
    }
    this->tags(list);
}

void AttributeBuilder::tags(const QStringList &tags)
{
    QVariantList list;
    for (const QString &t : tags) {
        if (!t.isEmpty())
            list << t;
    }
    if (!list.isEmpty())
        set(QStringLiteral("tag.tags"), list);
}

void AttributeBuilder::metadata(const Json *metadata)
{
    if (!metadata || ((metadata->is_object() || metadata->is_array()) && metadata->empty()))
        return;
    setText(QStringLiteral("metadata"), text(*metadata));
}

void AttributeBuilder::toolName(const QString &name)
{
    setText(QStringLiteral("tool.name"), name);
}

void AttributeBuilder::rest(const QString &prefix, const Json &object, std::initializer_list<std::string_view> consumed)
{
    if (!object.is_object())
        return;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const Json &v = it.value();
        if (v.is_null() || (v.is_structured() && v.empty()))
            continue;
        bool used = false;
        for (std::string_view c : consumed) {
            if (it.key() == c) {
                used = true;
                break;
            }
        }
        if (!used)
            set(prefix + toQString(it.key()), toAttributeValue(v));
    }
}

SpanEvent exceptionEvent(qint64 timeNs, const QString &type, const QString &message, const QString &stacktrace)
{
    SpanEvent e;
    e.timeNs = timeNs;
    e.name = QStringLiteral("exception");
    if (!type.isEmpty())
        e.attributes.push_back({QStringLiteral("exception.type"), type});
    if (!message.isEmpty())
        e.attributes.push_back({QStringLiteral("exception.message"), message});
    if (!stacktrace.isEmpty())
        e.attributes.push_back({QStringLiteral("exception.stacktrace"), stacktrace});
    return e;
}

void setService(Span &span, const QString &serviceName)
{
    if (serviceName.isEmpty())
        return;
    span.serviceName = serviceName;
    span.resourceAttributes.push_back(Attribute{QStringLiteral("service.name"), serviceName});
}

} // namespace spanscope::vendor
