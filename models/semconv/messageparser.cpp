#include "messageparser.h"

#include "formats/fastjson.h"
#include "lightjson.h"

#include <QByteArray>

#include <limits>
#include <string_view>

namespace spanscope::semconv::detail {

namespace {

// The message rules below read JSON through one of two adapters with the same small interface:
// JsonNode over nlohmann's DOM (event bodies, structured attribute values, text LightJson does not
// take on) and LightNode over a LightJson document (message attributes, the common case).

enum class PartType { Untyped, Text, ToolCall, ToolResponse, Other };

PartType partTypeOf(std::string_view type)
{
    if (type.empty())
        return PartType::Untyped;
    if (type == "text" || type == "input_text" || type == "output_text")
        return PartType::Text;
    if (type == "tool_call" || type == "tool_use" || type == "function_call")
        return PartType::ToolCall;
    if (type == "tool_call_response" || type == "tool_result" || type == "function_call_output")
        return PartType::ToolResponse;
    return PartType::Other;
}

class JsonNode
{
public:
    JsonNode() = default;
    explicit JsonNode(const Json *json) : m_json(json) {}
    explicit operator bool() const { return m_json != nullptr; }
    bool isObject() const { return m_json->is_object(); }
    bool isArray() const { return m_json->is_array(); }
    bool isString() const { return m_json->is_string(); }
    bool isNull() const { return m_json->is_null(); }
    // A member that is present and not null.
    JsonNode member(const char *key) const
    {
        if (!m_json->is_object())
            return {};
        const auto it = m_json->find(key);
        return it == m_json->end() || it->is_null() ? JsonNode() : JsonNode(&*it);
    }
    template<typename F>
    void forEach(F &&f) const
    {
        for (const Json &e : *m_json)
            f(JsonNode(&e));
    }
    QString string() const { return jsonToQString(m_json->get_ref<const std::string &>()); }
    PartType partType() const { return isString() ? partTypeOf(m_json->get_ref<const std::string &>()) : PartType::Untyped; }
    QString text() const { return jsonToText(*m_json); }
    QString arguments() const { return argumentsText(*m_json); }

private:
    const Json *m_json = nullptr;
};

class LightNode
{
public:
    LightNode() = default;
    LightNode(const LightJson *doc, qint32 index) : m_doc(doc), m_index(index) {}
    explicit operator bool() const { return m_doc != nullptr; }
    bool isObject() const { return node().type == LightJson::Type::Object; }
    bool isArray() const { return node().type == LightJson::Type::Array; }
    bool isString() const { return node().type == LightJson::Type::String; }
    bool isNull() const { return node().type == LightJson::Type::Null; }
    // A member that is present and not null; of repeated names the last counts (as in nlohmann).
    LightNode member(const char *key) const
    {
        if (!isObject())
            return {};
        const QLatin1StringView name(key);
        qint32 found = -1;
        for (qint32 i = m_index + 1; i < node().end; i = m_doc->node(i).end) {
            if (m_doc->node(i).key == name)
                found = i;
        }
        return found < 0 || m_doc->node(found).type == LightJson::Type::Null ? LightNode() : LightNode(m_doc, found);
    }
    template<typename F>
    void forEach(F &&f) const
    {
        for (qint32 i = m_index + 1; i < node().end; i = m_doc->node(i).end)
            f(LightNode(m_doc, i));
    }
    QString string() const { return node().string.toString(); }
    PartType partType() const
    {
        if (!isString())
            return PartType::Untyped;
        const QStringView s = node().string;
        char ascii[24];
        if (s.size() >= qsizetype(sizeof ascii))
            return PartType::Other;
        for (qsizetype i = 0; i < s.size(); ++i) {
            if (s[i].unicode() >= 0x80)
                return PartType::Other;
            ascii[i] = char(s[i].unicode());
        }
        return partTypeOf(std::string_view(ascii, size_t(s.size())));
    }
    // Strings as they are, everything else as nlohmann writes it (compact JSON).
    QString text() const
    {
        switch (node().type) {
        case LightJson::Type::String: return string();
        case LightJson::Type::Null: return {};
        case LightJson::Type::True: return QStringLiteral("true");
        case LightJson::Type::False: return QStringLiteral("false");
        default: {
            const std::optional<Json> j = parseJson(m_doc->sourceOf(node()));
            return j ? jsonToText(*j) : QString();
        }
        }
    }
    QString arguments() const { return isString() ? argumentsText(string()) : text(); }

private:
    const LightJson::Node &node() const { return m_doc->node(m_index); }
    const LightJson *m_doc = nullptr;
    qint32 m_index = 0;
};

template<typename Node>
QString memberText(const Node &object, const char *key)
{
    const Node v = object.member(key);
    return v ? v.text() : QString();
}

// Text of a content value: a string, an array of content parts (text parts joined by "\n"), or
// anything else as compact JSON.
template<typename Node>
QString contentText(const Node &content)
{
    if (content.isString())
        return content.string();
    if (!content.isArray())
        return content.isNull() ? QString() : content.text();
    QStringList texts;
    content.forEach([&](const Node &part) {
        if (part.isString()) {
            texts << part.string();
            return;
        }
        const Node type = part.member("type");
        if (type && type.isString() && type.partType() != PartType::Text)
            return;
        if (const Node t = part.member("text"))
            texts << t.text();
        else if (const Node c = part.member("content"))
            texts << c.text();
    });
    return texts.join(QLatin1Char('\n'));
}

template<typename Node>
ToolCall toolCallFrom(const Node &call)
{
    ToolCall tc;
    tc.id = memberText(call, "id");
    if (tc.id.isEmpty())
        tc.id = memberText(call, "call_id");
    if (const Node fn = call.member("function"); fn && fn.isObject()) {
        tc.name = memberText(fn, "name");
        if (const Node args = fn.member("arguments"))
            tc.arguments = args.arguments();
    }
    if (tc.name.isEmpty())
        tc.name = memberText(call, "name");
    if (tc.arguments.isEmpty()) {
        if (const Node args = call.member("arguments"))
            tc.arguments = args.arguments();
        else if (const Node input = call.member("input"))
            tc.arguments = input.arguments();
    }
    return tc;
}

template<typename Node>
void appendMessageObjectT(const Node &object, const QString &defaultRole, Messages &out)
{
    if (!object.isObject())
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
    auto addParts = [&](const Node &parts) {
        parts.forEach([&](const Node &part) {
            if (part.isString()) {
                texts << part.string();
                return;
            }
            if (!part.isObject())
                return;
            const Node typeNode = part.member("type");
            const PartType type = typeNode ? typeNode.partType() : PartType::Untyped;
            if (type == PartType::Untyped || type == PartType::Text) {
                if (const Node c = part.member("content"))
                    texts << contentText(c);
                else if (const Node t = part.member("text"))
                    texts << t.text();
            } else if (type == PartType::ToolCall) {
                m.toolCalls << toolCallFrom(part);
            } else if (type == PartType::ToolResponse) {
                Message r;
                r.role = QStringLiteral("tool");
                r.toolCallId = memberText(part, "id");
                if (r.toolCallId.isEmpty())
                    r.toolCallId = memberText(part, "tool_use_id");
                if (r.toolCallId.isEmpty())
                    r.toolCallId = memberText(part, "call_id");
                if (const Node resp = part.member("response"))
                    r.content = contentText(resp);
                else if (const Node c = part.member("content"))
                    r.content = contentText(c);
                else if (const Node o = part.member("output"))
                    r.content = contentText(o);
                toolResponses << r;
            }
            // Other part types (reasoning, blobs, images, uris) are not chat text.
        });
    };

    if (const Node parts = object.member("parts"); parts && parts.isArray())
        addParts(parts);
    if (const Node content = object.member("content")) {
        if (content.isArray())
            addParts(content);
        else
            texts << contentText(content);
    }
    if (const Node text = object.member("text"))
        texts << text.text();
    if (const Node calls = object.member("tool_calls")) {
        if (calls.isArray()) {
            calls.forEach([&](const Node &call) {
                if (call.isObject())
                    m.toolCalls << toolCallFrom(call);
            });
        } else if (calls.isString()) {
            // Log-style events sometimes carry tool_calls as a JSON string.
            if (const std::optional<Json> parsed = parseJson(calls.string()); parsed && parsed->is_array()) {
                for (const Json &call : *parsed) {
                    if (call.is_object())
                        m.toolCalls << toolCallFrom(JsonNode(&call));
                }
            }
        }
    }
    if (const Node fn = object.member("function_call"); fn && fn.isObject())
        m.toolCalls << toolCallFrom(fn);

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

template<typename Node>
bool appendMessagesT(const Node &json, const QString &defaultRole, Messages &out)
{
    const qsizetype before = out.size();
    if (json.isArray()) {
        json.forEach([&](const Node &item) {
            if (item.isObject()) {
                appendMessageObjectT(item, defaultRole, out);
            } else if (item.isString()) {
                out << Message{defaultRole, item.string(), {}, {}, {}, {}};
            }
        });
    } else if (json.isObject()) {
        const Node messages = json.member("messages");
        const Node choices = json.member("choices");
        if (messages && messages.isArray()) {
            appendMessagesT(messages, defaultRole, out);
        } else if (choices && choices.isArray()) {
            choices.forEach([&](const Node &choice) {
                const qsizetype at = out.size();
                if (const Node msg = choice.member("message"); msg && msg.isObject())
                    appendMessageObjectT(msg, defaultRole, out);
                else
                    appendMessageObjectT(choice, defaultRole, out);
                const QString finish = memberText(choice, "finish_reason");
                if (out.size() > at && out[at].finishReason.isEmpty())
                    out[at].finishReason = finish;
            });
        } else {
            appendMessageObjectT(json, defaultRole, out);
        }
    } else if (json.isString()) {
        out << Message{defaultRole, json.string(), {}, {}, {}, {}};
    }
    return out.size() > before;
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
    appendMessageObjectT(JsonNode(&object), defaultRole, out);
}

bool appendMessages(const Json &json, const QString &defaultRole, Messages &out)
{
    return appendMessagesT(JsonNode(&json), defaultRole, out);
}

std::optional<bool> appendMessagesFromText(QStringView text, const QString &defaultRole, Messages &out)
{
    thread_local LightJson doc;  // keeps its node and buffer capacity between calls
    if (doc.parse(text))
        return appendMessagesT(LightNode(&doc, 0), defaultRole, out);
    if (const std::optional<Json> j = parseJson(text))
        return appendMessagesT(JsonNode(&*j), defaultRole, out);
    return std::nullopt;
}

} // namespace spanscope::semconv::detail
