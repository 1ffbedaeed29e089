#include "messageparser.h"

#include "formats/fastjson.h"

#include <QByteArray>

#include <limits>

namespace spanscope::semconv::detail {

namespace {

const Json *member(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

QString memberText(const Json &object, const char *key)
{
    const Json *v = member(object, key);
    return v ? jsonToText(*v) : QString();
}

bool isTextPartType(const std::string &type)
{
    return type == "text" || type == "input_text" || type == "output_text";
}

bool isToolCallPartType(const std::string &type)
{
    return type == "tool_call" || type == "tool_use" || type == "function_call";
}

bool isToolResponsePartType(const std::string &type)
{
    return type == "tool_call_response" || type == "tool_result" || type == "function_call_output";
}

// Text of a content value: a string, an array of content parts (text parts joined by "\n"), or
// anything else as compact JSON.
QString contentText(const Json &content)
{
    if (content.is_string())
        return jsonToQString(content.get_ref<const std::string &>());
    if (!content.is_array())
        return content.is_null() ? QString() : jsonToText(content);
    QStringList texts;
    for (const Json &part : content) {
        if (part.is_string()) {
            texts << jsonToQString(part.get_ref<const std::string &>());
            continue;
        }
        const Json *type = member(part, "type");
        if (type && type->is_string() && !isTextPartType(type->get_ref<const std::string &>()))
            continue;
        if (const Json *t = member(part, "text"))
            texts << jsonToText(*t);
        else if (const Json *c = member(part, "content"))
            texts << jsonToText(*c);
    }
    return texts.join(QLatin1Char('\n'));
}

ToolCall toolCallFrom(const Json &call)
{
    ToolCall tc;
    tc.id = memberText(call, "id");
    if (tc.id.isEmpty())
        tc.id = memberText(call, "call_id");
    if (const Json *fn = member(call, "function"); fn && fn->is_object()) {
        tc.name = memberText(*fn, "name");
        if (const Json *args = member(*fn, "arguments"))
            tc.arguments = argumentsText(*args);
    }
    if (tc.name.isEmpty())
        tc.name = memberText(call, "name");
    if (tc.arguments.isEmpty()) {
        if (const Json *args = member(call, "arguments"))
            tc.arguments = argumentsText(*args);
        else if (const Json *input = member(call, "input"))
            tc.arguments = argumentsText(*input);
    }
    return tc;
}

} // namespace

namespace {

// Serialising and converting JSON recurse, so a producer's (or attacker's) deeply nested value
// could overflow the stack later on. Real messages nest a few levels; refuse anything deeper.
constexpr int kMaxJsonDepth = 64;

// nlohmann's DOM builder, failing the parse at the first value nested deeper than the limit
// (instead of a separate pass over the text to count the nesting first).
class DepthLimitedDom : public nlohmann::detail::json_sax_dom_parser<Json>
{
public:
    explicit DepthLimitedDom(Json &root) : json_sax_dom_parser(root, /*allow_exceptions=*/false) {}
    bool start_object(std::size_t n) { return ++m_depth <= kMaxJsonDepth && json_sax_dom_parser::start_object(n); }
    bool end_object()
    {
        --m_depth;
        return json_sax_dom_parser::end_object();
    }
    bool start_array(std::size_t n) { return ++m_depth <= kMaxJsonDepth && json_sax_dom_parser::start_array(n); }
    bool end_array()
    {
        --m_depth;
        return json_sax_dom_parser::end_array();
    }

private:
    int m_depth = 0;
};

} // namespace

std::optional<Json> parseJson(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    // nlohmann's parser with the fast string scan (fastjson.h; header-only, shared with formats/).
    Json j;
    DepthLimitedDom dom(j);
    FastJsonMemory memory{utf8.constData(), utf8.constData() + utf8.size()};
    if (!fastSaxParse<Json>(memory.input(), &dom, /*strict=*/true) || dom.is_errored())
        return std::nullopt;
    return j;
}

bool looksLikeJsonContainer(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.size() < 2)
        return false;
    return (t.front() == QLatin1Char('{') && t.back() == QLatin1Char('}'))
        || (t.front() == QLatin1Char('[') && t.back() == QLatin1Char(']'));
}

QString jsonToQString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString jsonToText(const Json &json)
{
    if (json.is_string())
        return jsonToQString(json.get_ref<const std::string &>());
    if (json.is_null())
        return {};
    // replace: a producer's invalid UTF-8 must not throw out of dump()
    return jsonToQString(json.dump(-1, ' ', false, Json::error_handler_t::replace));
}

QString argumentsText(const Json &json)
{
    if (json.is_string())
        return argumentsText(jsonToQString(json.get_ref<const std::string &>()));
    return jsonToText(json);
}

QString argumentsText(const QString &text)
{
    if (!looksLikeJsonContainer(text))
        return text;
    const std::optional<Json> parsed = parseJson(text);
    return parsed ? jsonToText(*parsed) : text;
}

Json variantToJson(const QVariant &value)
{
    return variantToJson(value, 0);
}

Json variantToJson(const QVariant &value, int depth)
{
    if (depth > kMaxJsonDepth)
        return nullptr;
    switch (value.typeId()) {
    case QMetaType::QString: {
        const QByteArray utf8 = value.toString().toUtf8();
        return Json(std::string(utf8.constData(), size_t(utf8.size())));
    }
    case QMetaType::Bool: return value.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong: return value.toLongLong();
    case QMetaType::UInt:
    case QMetaType::ULongLong: return value.toULongLong();
    case QMetaType::Double:
    case QMetaType::Float: return value.toDouble();
    case QMetaType::QVariantList: {
        Json arr = Json::array();
        for (const QVariant &v : value.toList())
            arr.push_back(variantToJson(v, depth + 1));
        return arr;
    }
    case QMetaType::QVariantMap: {
        Json obj = Json::object();
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            const QByteArray key = it.key().toUtf8();
            obj[std::string(key.constData(), size_t(key.size()))] = variantToJson(it.value(), depth + 1);
        }
        return obj;
    }
    case QMetaType::QByteArray: {
        const QByteArray b64 = value.toByteArray().toBase64();
        return Json(std::string(b64.constData(), size_t(b64.size())));
    }
    default:
        if (!value.isValid())
            return nullptr;
        const QByteArray utf8 = value.toString().toUtf8();
        return Json(std::string(utf8.constData(), size_t(utf8.size())));
    }
}

QVariant jsonToVariant(const Json &json)
{
    switch (json.type()) {
    case Json::value_t::string: return jsonToQString(json.get_ref<const std::string &>());
    case Json::value_t::boolean: return json.get<bool>();
    case Json::value_t::number_integer: return qint64(json.get<std::int64_t>());
    case Json::value_t::number_unsigned: {
        const auto u = json.get<std::uint64_t>();
        return u <= std::uint64_t(std::numeric_limits<qint64>::max()) ? QVariant(qint64(u)) : QVariant(double(u));
    }
    case Json::value_t::number_float: return json.get<double>();
    case Json::value_t::array: {
        QVariantList list;
        list.reserve(qsizetype(json.size()));
        for (const Json &v : json)
            list << jsonToVariant(v);
        return list;
    }
    case Json::value_t::object: {
        QVariantMap map;
        for (auto it = json.begin(); it != json.end(); ++it)
            map.insert(jsonToQString(it.key()), jsonToVariant(it.value()));
        return map;
    }
    default: return {};
    }
}

void appendMessageObject(const Json &object, const QString &defaultRole, Messages &out)
{
    if (!object.is_object())
        return;
    Message m;
    m.role = memberText(object, "role");
    if (m.role.isEmpty())
        m.role = defaultRole;
    m.name = memberText(object, "name");
    m.toolCallId = memberText(object, "tool_call_id");
    m.finishReason = memberText(object, "finish_reason");

    QStringList texts;
    Messages toolResponses;
    auto addParts = [&](const Json &parts) {
        for (const Json &part : parts) {
            if (part.is_string()) {
                texts << jsonToQString(part.get_ref<const std::string &>());
                continue;
            }
            if (!part.is_object())
                continue;
            const Json *typeJson = member(part, "type");
            const std::string type = typeJson && typeJson->is_string() ? typeJson->get<std::string>() : std::string();
            if (type.empty() || isTextPartType(type)) {
                if (const Json *c = member(part, "content"))
                    texts << contentText(*c);
                else if (const Json *t = member(part, "text"))
                    texts << jsonToText(*t);
            } else if (isToolCallPartType(type)) {
                m.toolCalls << toolCallFrom(part);
            } else if (isToolResponsePartType(type)) {
                Message r;
                r.role = QStringLiteral("tool");
                r.toolCallId = memberText(part, "id");
                if (r.toolCallId.isEmpty())
                    r.toolCallId = memberText(part, "tool_use_id");
                if (r.toolCallId.isEmpty())
                    r.toolCallId = memberText(part, "call_id");
                if (const Json *resp = member(part, "response"))
                    r.content = contentText(*resp);
                else if (const Json *c = member(part, "content"))
                    r.content = contentText(*c);
                else if (const Json *o = member(part, "output"))
                    r.content = contentText(*o);
                toolResponses << r;
            }
            // Other part types (reasoning, blobs, images, uris) are not chat text.
        }
    };

    if (const Json *parts = member(object, "parts"); parts && parts->is_array())
        addParts(*parts);
    if (const Json *content = member(object, "content")) {
        if (content->is_array())
            addParts(*content);
        else
            texts << contentText(*content);
    }
    if (const Json *text = member(object, "text"))
        texts << jsonToText(*text);
    if (const Json *calls = member(object, "tool_calls")) {
        if (calls->is_array()) {
            for (const Json &call : *calls) {
                if (call.is_object())
                    m.toolCalls << toolCallFrom(call);
            }
        } else if (calls->is_string()) {
            // Log-style events sometimes carry tool_calls as a JSON string.
            if (const std::optional<Json> parsed = parseJson(jsonToQString(calls->get_ref<const std::string &>()));
                parsed && parsed->is_array()) {
                for (const Json &call : *parsed) {
                    if (call.is_object())
                        m.toolCalls << toolCallFrom(call);
                }
            }
        }
    }
    if (const Json *fn = member(object, "function_call"); fn && fn->is_object())
        m.toolCalls << toolCallFrom(*fn);

    texts.removeAll(QString());
    m.content = texts.join(QLatin1Char('\n'));

    // A message that only carried tool responses is replaced by them; a tool message answering
    // exactly one call keeps its own name.
    const bool hasOwnContent = !m.content.isEmpty() || !m.toolCalls.isEmpty();
    if (hasOwnContent || toolResponses.isEmpty()) {
        out << m;
    } else if (toolResponses.size() == 1) {
        toolResponses.first().name = m.name;
        toolResponses.first().finishReason = m.finishReason;
    }
    out << toolResponses;
}

bool appendMessages(const Json &json, const QString &defaultRole, Messages &out)
{
    const qsizetype before = out.size();
    if (json.is_array()) {
        for (const Json &item : json) {
            if (item.is_object()) {
                appendMessageObject(item, defaultRole, out);
            } else if (item.is_string()) {
                Message m;
                m.role = defaultRole;
                m.content = jsonToQString(item.get_ref<const std::string &>());
                out << m;
            }
        }
    } else if (json.is_object()) {
        const Json *messages = member(json, "messages");
        const Json *choices = member(json, "choices");
        if (messages && messages->is_array()) {
            appendMessages(*messages, defaultRole, out);
        } else if (choices && choices->is_array()) {
            for (const Json &choice : *choices) {
                const qsizetype at = out.size();
                if (const Json *msg = member(choice, "message"); msg && msg->is_object())
                    appendMessageObject(*msg, defaultRole, out);
                else
                    appendMessageObject(choice, defaultRole, out);
                const QString finish = memberText(choice, "finish_reason");
                if (out.size() > at && out[at].finishReason.isEmpty())
                    out[at].finishReason = finish;
            }
        } else {
            appendMessageObject(json, defaultRole, out);
        }
    } else if (json.is_string()) {
        Message m;
        m.role = defaultRole;
        m.content = jsonToQString(json.get_ref<const std::string &>());
        out << m;
    }
    return out.size() > before;
}

} // namespace spanscope::semconv::detail
