#include "semconv.h"

#include "messageparser.h"

#include <QHash>
#include <QLoggingCategory>

#include <array>
#include <climits>
#include <map>

Q_LOGGING_CATEGORY(lcSemconv, "spanscope.semconv", QtInfoMsg)

namespace spanscope::semconv {

namespace {

using namespace detail;

// Span fields an exact attribute key can feed. Several keys may feed one field; the key with the
// lowest priority number present on the span wins, whatever the attribute order.
enum class Field : quint8 {
    OiKind,
    Operation,
    TraceloopKind,
    Provider,
    RequestModel,
    ResponseModel,
    FinishReasons,
    Session,
    User,
    Agent,
    Tool,
    ToolArguments,
    ToolResult,
    ToolDescription,
    ToolParameters,
    SystemInstructions,
    InputMessages,
    OutputMessages,
    PromptText,
    CompletionText,
    Input,
    InputMime,
    Output,
    OutputMime,
    InvocationParameters,
    TokensInput,
    TokensOutput,
    TokensTotal,
    TokensCacheRead,
    TokensCacheWrite,
    TokensReasoning,
    CostInput,
    CostOutput,
    CostTotal,
    Metadata,
    Tags,
    Count
};

struct KeyRule {
    Field field;
    quint8 priority;
};

// Priority 0 is the direct, current form of an attribute; Input/Output priority 0 means the
// OpenInference input.value/output.value pair, whose mime type attributes only apply to it.
const QHash<QString, KeyRule> &keyTable()
{
    static const QHash<QString, KeyRule> table = [] {
        struct Row {
            const char16_t *key;
            Field field;
            quint8 priority;
        };
        static constexpr Row rows[] = {
            {u"openinference.span.kind", Field::OiKind, 0},
            {u"gen_ai.operation.name", Field::Operation, 0},
            {u"llm.request.type", Field::Operation, 1},
            {u"traceloop.span.kind", Field::TraceloopKind, 0},
            {u"gen_ai.provider.name", Field::Provider, 0},
            {u"llm.provider", Field::Provider, 1},
            {u"gen_ai.system", Field::Provider, 2},
            {u"llm.system", Field::Provider, 3},
            {u"gen_ai.request.model", Field::RequestModel, 0},
            {u"llm.model_name", Field::RequestModel, 1},
            {u"embedding.model_name", Field::RequestModel, 2},
            {u"reranker.model_name", Field::RequestModel, 3},
            {u"gen_ai.response.model", Field::ResponseModel, 0},
            {u"gen_ai.response.finish_reasons", Field::FinishReasons, 0},
            {u"session.id", Field::Session, 0},
            {u"gen_ai.conversation.id", Field::Session, 1},
            {u"langfuse.session.id", Field::Session, 2},
            {u"user.id", Field::User, 0},
            {u"langfuse.user.id", Field::User, 1},
            {u"enduser.id", Field::User, 2},
            {u"gen_ai.agent.name", Field::Agent, 0},
            {u"agent.name", Field::Agent, 1},
            {u"gen_ai.agent.id", Field::Agent, 2},
            {u"gen_ai.tool.name", Field::Tool, 0},
            {u"tool.name", Field::Tool, 1},
            {u"tool_call.function.name", Field::Tool, 2},
            {u"gen_ai.tool.call.arguments", Field::ToolArguments, 0},
            {u"tool_call.function.arguments", Field::ToolArguments, 1},
            {u"gen_ai.tool.call.result", Field::ToolResult, 0},
            {u"tool.description", Field::ToolDescription, 0},
            {u"gen_ai.tool.description", Field::ToolDescription, 1},
            {u"tool.parameters", Field::ToolParameters, 0},
            {u"gen_ai.system_instructions", Field::SystemInstructions, 0},
            {u"gen_ai.input.messages", Field::InputMessages, 0},
            {u"gen_ai.output.messages", Field::OutputMessages, 0},
            {u"gen_ai.prompt", Field::PromptText, 0},
            {u"gen_ai.completion", Field::CompletionText, 0},
            {u"input.value", Field::Input, 0},
            {u"traceloop.entity.input", Field::Input, 1},
            {u"reranker.query", Field::Input, 2},
            {u"input.mime_type", Field::InputMime, 0},
            {u"output.value", Field::Output, 0},
            {u"traceloop.entity.output", Field::Output, 1},
            {u"output.mime_type", Field::OutputMime, 0},
            {u"llm.invocation_parameters", Field::InvocationParameters, 0},
            {u"gen_ai.usage.input_tokens", Field::TokensInput, 0},
            {u"llm.token_count.prompt", Field::TokensInput, 1},
            {u"gen_ai.usage.prompt_tokens", Field::TokensInput, 2},
            {u"gen_ai.usage.output_tokens", Field::TokensOutput, 0},
            {u"llm.token_count.completion", Field::TokensOutput, 1},
            {u"gen_ai.usage.completion_tokens", Field::TokensOutput, 2},
            {u"gen_ai.usage.total_tokens", Field::TokensTotal, 0},
            {u"llm.token_count.total", Field::TokensTotal, 1},
            {u"llm.usage.total_tokens", Field::TokensTotal, 2},
            {u"gen_ai.usage.cache_read.input_tokens", Field::TokensCacheRead, 0},
            {u"llm.token_count.prompt_details.cache_read", Field::TokensCacheRead, 1},
            {u"gen_ai.usage.cache_read_input_tokens", Field::TokensCacheRead, 2},
            {u"gen_ai.usage.cache_creation.input_tokens", Field::TokensCacheWrite, 0},
            {u"llm.token_count.prompt_details.cache_write", Field::TokensCacheWrite, 1},
            {u"gen_ai.usage.cache_creation_input_tokens", Field::TokensCacheWrite, 2},
            {u"gen_ai.usage.reasoning.output_tokens", Field::TokensReasoning, 0},
            {u"llm.token_count.completion_details.reasoning", Field::TokensReasoning, 1},
            {u"gen_ai.usage.reasoning_tokens", Field::TokensReasoning, 2},
            {u"llm.cost.prompt", Field::CostInput, 0},
            {u"llm.cost.completion", Field::CostOutput, 0},
            {u"llm.cost.total", Field::CostTotal, 0},
            {u"gen_ai.usage.cost", Field::CostTotal, 1},
            {u"metadata", Field::Metadata, 0},
            {u"tag.tags", Field::Tags, 0},
        };
        QHash<QString, KeyRule> t;
        t.reserve(qsizetype(std::size(rows)));
        for (const Row &r : rows)
            t.insert(QString::fromUtf16(r.key), KeyRule{r.field, r.priority});
        return t;
    }();
    return table;
}

struct Slot {
    const QVariant *value = nullptr;
    int priority = INT_MAX;
};

struct FlatToolCall {
    QString id;
    QString name;
    QString arguments;
};

// One message spread over flattened attributes (OpenInference llm.*_messages.N.message.*,
// OpenLLMetry gen_ai.prompt.N.*). std::map keeps indices in numeric order whatever order the
// attributes came in.
struct FlatMessage {
    QString role;
    QString content;
    QString name;
    QString toolCallId;
    QString finishReason;
    std::map<int, std::pair<QString, QString>> contents; // type, text
    std::map<int, FlatToolCall> toolCalls;
};
using FlatMessages = std::map<int, FlatMessage>;
using FlatDocuments = std::map<int, RetrievalDocument>;

struct Collected {
    std::array<Slot, size_t(Field::Count)> found;
    QList<std::pair<QString, const QVariant *>> requestParameters;
    QList<std::pair<QString, const QVariant *>> associationProperties;
    FlatMessages oiInput, oiOutput, flatPrompt, flatCompletion;
    FlatDocuments retrieved, rerankerInput, rerankerOutput;

    void offer(Field f, int priority, const QVariant *value)
    {
        Slot &s = found[size_t(f)];
        if (priority < s.priority) {
            s.value = value;
            s.priority = priority;
        }
    }
    const QVariant *value(Field f) const { return found[size_t(f)].value; }
    int priority(Field f) const { return found[size_t(f)].priority; }
};

QString text(const QVariant &v)
{
    return attributeValueToString(v);
}

// Consumes "<digits>." from the front of `s`.
bool takeIndex(QStringView &s, int &index)
{
    qsizetype i = 0;
    int n = 0;
    while (i < s.size() && i < 9 && s[i] >= QLatin1Char('0') && s[i] <= QLatin1Char('9')) {
        n = n * 10 + (s[i].unicode() - u'0');
        ++i;
    }
    if (i == 0 || i >= s.size() || s[i] != QLatin1Char('.'))
        return false;
    index = n;
    s = s.mid(i + 1);
    return true;
}

bool takePrefix(QStringView &s, QLatin1String prefix)
{
    if (!s.startsWith(prefix))
        return false;
    s = s.mid(prefix.size());
    return true;
}

// llm.input_messages.N.message.<rest>
void addOpenInferenceMessage(QStringView rest, const QVariant &value, FlatMessages &out)
{
    int n = 0;
    if (!takeIndex(rest, n) || !takePrefix(rest, QLatin1String("message.")))
        return;
    FlatMessage &m = out[n];
    if (rest == u"role") {
        m.role = text(value);
    } else if (rest == u"content") {
        m.content = text(value);
    } else if (rest == u"name") {
        m.name = text(value);
    } else if (rest == u"tool_call_id") {
        m.toolCallId = text(value);
    } else if (rest == u"finish_reason") {
        m.finishReason = text(value);
    } else if (takePrefix(rest, QLatin1String("contents."))) {
        int k = 0;
        if (!takeIndex(rest, k) || !takePrefix(rest, QLatin1String("message_content.")))
            return;
        if (rest == u"type")
            m.contents[k].first = text(value);
        else if (rest == u"text")
            m.contents[k].second = text(value);
    } else if (takePrefix(rest, QLatin1String("tool_calls."))) {
        int k = 0;
        if (!takeIndex(rest, k) || !takePrefix(rest, QLatin1String("tool_call.")))
            return;
        if (rest == u"id")
            m.toolCalls[k].id = text(value);
        else if (rest == u"function.name")
            m.toolCalls[k].name = text(value);
        else if (rest == u"function.arguments")
            m.toolCalls[k].arguments = text(value);
    } else if (rest == u"function_call_name") {
        m.toolCalls[-1].name = text(value);   // legacy OpenAI function_call, before any tool call
    } else if (rest == u"function_call_arguments_json") {
        m.toolCalls[-1].arguments = text(value);
    }
}

// gen_ai.prompt.N.<rest> (OpenLLMetry)
void addFlatGenAiMessage(QStringView rest, const QVariant &value, FlatMessages &out)
{
    int n = 0;
    if (!takeIndex(rest, n))
        return;
    FlatMessage &m = out[n];
    if (rest == u"role") {
        m.role = text(value);
    } else if (rest == u"content") {
        m.content = text(value);
    } else if (rest == u"name") {
        m.name = text(value);
    } else if (rest == u"tool_call_id") {
        m.toolCallId = text(value);
    } else if (rest == u"finish_reason") {
        m.finishReason = text(value);
    } else if (takePrefix(rest, QLatin1String("tool_calls."))) {
        int k = 0;
        if (!takeIndex(rest, k))
            return;
        if (rest == u"id")
            m.toolCalls[k].id = text(value);
        else if (rest == u"name")
            m.toolCalls[k].name = text(value);
        else if (rest == u"arguments")
            m.toolCalls[k].arguments = text(value);
    }
}

double toDouble(const QVariant &v, bool *ok)
{
    switch (v.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::ULongLong:
    case QMetaType::UInt: {
        *ok = true;
        return v.toDouble();
    }
    case QMetaType::QString: return v.toString().trimmed().toDouble(ok);
    default: *ok = false; return 0;
    }
}

QVariantMap toMap(const QVariant &v)
{
    if (v.typeId() == QMetaType::QVariantMap)
        return v.toMap();
    if (v.typeId() == QMetaType::QString) {
        const QString s = v.toString();
        if (looksLikeJsonContainer(s)) {
            if (const std::optional<Json> j = parseJson(s); j && j->is_object())
                return jsonToVariant(*j).toMap();
        }
    }
    return {};
}

// retrieval.documents.N.document.<rest>
void addDocument(QStringView rest, const QVariant &value, FlatDocuments &out)
{
    int n = 0;
    if (!takeIndex(rest, n) || !takePrefix(rest, QLatin1String("document.")))
        return;
    RetrievalDocument &d = out[n];
    if (rest == u"id") {
        d.id = text(value);
    } else if (rest == u"content") {
        d.content = text(value);
    } else if (rest == u"score") {
        bool ok = false;
        const double score = toDouble(value, &ok);
        if (ok)
            d.score = score;
    } else if (rest == u"metadata") {
        d.metadata = toMap(value);
        if (d.metadata.isEmpty() && !text(value).isEmpty())
            d.metadata.insert(QStringLiteral("metadata"), value);
    }
}

// Keys not in the exact table: flattened lists and open-ended families.
void dispatchPrefixed(const QString &key, const QVariant &value, Collected &c)
{
    QStringView k(key);
    switch (key.isEmpty() ? u'\0' : key.front().unicode()) {
    case u'g':
        if (takePrefix(k, QLatin1String("gen_ai."))) {
            if (takePrefix(k, QLatin1String("request.")))
                c.requestParameters.append({k.toString(), &value});
            else if (takePrefix(k, QLatin1String("prompt.")))
                addFlatGenAiMessage(k, value, c.flatPrompt);
            else if (takePrefix(k, QLatin1String("completion.")))
                addFlatGenAiMessage(k, value, c.flatCompletion);
        }
        break;
    case u'l':
        if (takePrefix(k, QLatin1String("llm."))) {
            if (takePrefix(k, QLatin1String("input_messages.")))
                addOpenInferenceMessage(k, value, c.oiInput);
            else if (takePrefix(k, QLatin1String("output_messages.")))
                addOpenInferenceMessage(k, value, c.oiOutput);
        }
        break;
    case u'r':
        if (takePrefix(k, QLatin1String("retrieval.documents.")))
            addDocument(k, value, c.retrieved);
        else if (takePrefix(k, QLatin1String("reranker.input_documents.")))
            addDocument(k, value, c.rerankerInput);
        else if (takePrefix(k, QLatin1String("reranker.output_documents.")))
            addDocument(k, value, c.rerankerOutput);
        break;
    case u't':
        if (takePrefix(k, QLatin1String("traceloop.association.properties.")))
            c.associationProperties.append({k.toString(), &value});
        break;
    default:
        break;
    }
}

// OpenLLMetry puts Anthropic-style content blocks into .content as a JSON string.
QString flatContentText(const QString &content)
{
    if (!content.startsWith(QLatin1Char('[')) || !looksLikeJsonContainer(content))
        return content;
    const std::optional<Json> j = parseJson(content);
    if (!j || !j->is_array() || j->empty() || !j->front().is_object() || !j->front().contains("type"))
        return content;
    Messages tmp;
    appendMessageObject(Json{{"content", *j}}, QString(), tmp);
    return tmp.isEmpty() ? content : tmp.first().content;
}

Messages toMessages(const FlatMessages &flat, bool contentMayBeBlocks)
{
    Messages out;
    out.reserve(qsizetype(flat.size()));
    for (const auto &[index, f] : flat) {
        Message m;
        m.role = f.role;
        m.name = f.name;
        m.toolCallId = f.toolCallId;
        m.finishReason = f.finishReason;
        QStringList texts;
        if (!f.content.isEmpty())
            texts << (contentMayBeBlocks ? flatContentText(f.content) : f.content);
        for (const auto &[k, part] : f.contents) {
            if ((part.first.isEmpty() || part.first == u"text") && !part.second.isEmpty())
                texts << part.second;
        }
        m.content = texts.join(QLatin1Char('\n'));
        for (const auto &[k, call] : f.toolCalls)
            m.toolCalls << ToolCall{call.id, call.name, argumentsText(call.arguments)};
        out << m;
    }
    return out;
}

// A messages attribute (JSON text, plain text, or already-structured list/map). Text that
// starts like JSON but does not parse is handed back through *unparsed, so the caller can still
// show it.
bool messagesFromValue(const QVariant &value, const QString &defaultRole, Messages &out, QString *unparsed)
{
    const int type = value.typeId();
    if (type == QMetaType::QVariantList || type == QMetaType::QVariantMap)
        return appendMessages(variantToJson(value), defaultRole, out);
    const QString s = text(value);
    const QStringView trimmed = QStringView(s).trimmed();
    if (trimmed.isEmpty())
        return false;
    if (trimmed.front() == QLatin1Char('[') || trimmed.front() == QLatin1Char('{')) {
        if (const std::optional<bool> found = appendMessagesFromText(trimmed, defaultRole, out))
            return *found;
        if (unparsed && unparsed->isEmpty())
            *unparsed = s;
        return false;
    }
    Message m;
    m.role = defaultRole;
    m.content = s;
    out << m;
    return true;
}

Messages systemInstructionMessages(const QVariant &value)
{
    Json j;
    const int type = value.typeId();
    if (type == QMetaType::QVariantList || type == QMetaType::QVariantMap) {
        j = variantToJson(value);
    } else {
        const QString s = text(value);
        std::optional<Json> parsed;
        if (looksLikeJsonContainer(s))
            parsed = parseJson(s);
        j = parsed ? *parsed : Json(s.toStdString());
    }
    Messages out;
    const bool areMessages = j.is_array() && !j.empty() && j.front().is_object() && j.front().contains("role");
    if (areMessages) {
        appendMessages(j, QStringLiteral("system"), out);
        return out;
    }
    // A list of parts (or one string): one system message.
    Messages tmp;
    appendMessageObject(Json{{"role", "system"}, {j.is_array() ? "parts" : "content", j}}, QStringLiteral("system"), tmp);
    for (const Message &m : std::as_const(tmp)) {
        if (!m.content.isEmpty())
            out << m;
    }
    return out;
}

// Log-style GenAI events (gen_ai.user.message, gen_ai.choice, …): the fields sit in the event's
// attributes, or in a body-like attribute holding a map or JSON object.
Json eventBody(const SpanEvent &e)
{
    Json obj = Json::object();
    for (const Attribute &a : e.attributes) {
        const bool isBody = a.key == u"body" || a.key == u"event.body" || a.key == u"gen_ai.event.content";
        if (isBody) {
            Json body;
            if (a.value.typeId() == QMetaType::QVariantMap) {
                body = variantToJson(a.value);
            } else if (const QString s = text(a.value); looksLikeJsonContainer(s)) {
                if (std::optional<Json> parsed = parseJson(s))
                    body = std::move(*parsed);
            } else if (!s.isEmpty()) {
                body = Json{{"content", s.toStdString()}};
            }
            if (body.is_object()) {
                for (auto it = body.begin(); it != body.end(); ++it)
                    obj[it.key()] = it.value();
            }
            continue;
        }
        const QByteArray key = a.key.toUtf8();
        Json v = variantToJson(a.value);
        if (a.key == u"message" && v.is_string()) {
            if (std::optional<Json> parsed = parseJson(jsonToQString(v.get_ref<const std::string &>())); parsed && parsed->is_object())
                v = std::move(*parsed);
        }
        obj[key.toStdString()] = std::move(v);
    }
    return obj;
}

struct EventMessages {
    const QVariant *prompt = nullptr;       // gen_ai.content.prompt
    const QVariant *completion = nullptr;   // gen_ai.content.completion
    const QVariant *detailsInput = nullptr; // gen_ai.client.inference.operation.details
    const QVariant *detailsOutput = nullptr;
    const QVariant *detailsSystem = nullptr;
    Messages logInput;
    std::multimap<qint64, Messages> choices;
};

EventMessages collectEvents(const QList<SpanEvent> &events)
{
    EventMessages em;
    for (const SpanEvent &e : events) {
        QStringView name(e.name);
        if (!takePrefix(name, QLatin1String("gen_ai.")))
            continue;
        if (name == u"content.prompt") {
            for (const Attribute &a : e.attributes) {
                if (a.key == u"gen_ai.prompt" && !em.prompt)
                    em.prompt = &a.value;
            }
        } else if (name == u"content.completion") {
            for (const Attribute &a : e.attributes) {
                if (a.key == u"gen_ai.completion" && !em.completion)
                    em.completion = &a.value;
            }
        } else if (name == u"client.inference.operation.details") {
            for (const Attribute &a : e.attributes) {
                if (a.key == u"gen_ai.input.messages")
                    em.detailsInput = &a.value;
                else if (a.key == u"gen_ai.output.messages")
                    em.detailsOutput = &a.value;
                else if (a.key == u"gen_ai.system_instructions")
                    em.detailsSystem = &a.value;
            }
        } else if (name == u"choice") {
            Json body = eventBody(e);
            const qint64 index = body.contains("index") && body["index"].is_number() ? body["index"].get<qint64>() : 0;
            Messages msgs;
            if (body.contains("message") && body["message"].is_object())
                appendMessageObject(body["message"], QStringLiteral("assistant"), msgs);
            else
                appendMessageObject(body, QStringLiteral("assistant"), msgs);
            if (!msgs.isEmpty() && msgs.first().finishReason.isEmpty() && body.contains("finish_reason"))
                msgs.first().finishReason = jsonToText(body["finish_reason"]);
            em.choices.emplace(index, std::move(msgs));
        } else if (name.endsWith(u".message")) {
            const QStringView role = name.chopped(8);
            if (role != u"system" && role != u"user" && role != u"assistant" && role != u"tool")
                continue;
            Json body = eventBody(e);
            if (role == u"tool" && !body.contains("tool_call_id") && body.contains("id"))
                body["tool_call_id"] = body["id"];
            appendMessageObject(body, role.toString(), em.logInput);
        }
    }
    return em;
}

SpanKind kindFromOperation(QStringView op)
{
    static const QHash<QString, SpanKind> map = {
        {QStringLiteral("chat"), SpanKind::Llm},
        {QStringLiteral("text_completion"), SpanKind::Llm},
        {QStringLiteral("generate_content"), SpanKind::Llm},
        {QStringLiteral("completion"), SpanKind::Llm},
        {QStringLiteral("embeddings"), SpanKind::Embedding},
        {QStringLiteral("embedding"), SpanKind::Embedding},
        {QStringLiteral("retrieval"), SpanKind::Retriever},
        {QStringLiteral("execute_tool"), SpanKind::Tool},
        {QStringLiteral("create_agent"), SpanKind::Agent},
        {QStringLiteral("invoke_agent"), SpanKind::Agent},
        {QStringLiteral("rerank"), SpanKind::Reranker},
    };
    return map.value(op.trimmed().toString().toLower(), SpanKind::Span);
}

SpanKind kindFromTraceloop(QStringView k)
{
    if (k == u"workflow" || k == u"task")
        return SpanKind::Chain;
    if (k == u"agent")
        return SpanKind::Agent;
    if (k == u"tool")
        return SpanKind::Tool;
    return SpanKind::Span;
}

qint64 toCount(const QVariant *v)
{
    if (!v)
        return -1;
    bool ok = false;
    qint64 n = -1;
    switch (v->typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        n = v->toLongLong(&ok);
        break;
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = v->toDouble();
        ok = std::isfinite(d) && d < 9e18;
        n = ok ? qint64(d) : -1;
        break;
    }
    case QMetaType::QString: {
        const QString s = v->toString().trimmed();
        n = s.toLongLong(&ok);
        if (!ok) {
            const double d = s.toDouble(&ok);
            ok = ok && std::isfinite(d) && d < 9e18;
            n = ok ? qint64(d) : -1;
        }
        break;
    }
    default:
        break;
    }
    return ok && n >= 0 ? n : -1;
}

void setCount(qint64 &field, const QVariant *v)
{
    if (const qint64 n = toCount(v); n >= 0)
        field = n;
}

void setText(QString &field, const QVariant *v)
{
    if (!v)
        return;
    if (QString s = text(*v); !s.isEmpty())
        field = std::move(s);
}

QString guessMime(const QVariant &v, const QString &s)
{
    if (v.typeId() == QMetaType::QVariantList || v.typeId() == QMetaType::QVariantMap || looksLikeJsonContainer(s))
        return QStringLiteral("application/json");
    return QStringLiteral("text/plain");
}

QStringList stringList(const QVariant &v)
{
    QStringList out;
    if (v.typeId() == QMetaType::QVariantList) {
        for (const QVariant &item : v.toList())
            out << text(item);
    } else if (const QString s = text(v); s.startsWith(QLatin1Char('[')) && looksLikeJsonContainer(s)) {
        if (const std::optional<Json> j = parseJson(s); j && j->is_array()) {
            for (const Json &item : *j)
                out << jsonToText(item);
        } else {
            out << s;
        }
    } else if (!s.isEmpty()) {
        out << s;
    }
    out.removeAll(QString());
    return out;
}

// The attribute (of span.attributes) whose value `value` points to, or -1.
qsizetype attributeIndexOf(const Span &span, const QVariant *value)
{
    for (qsizetype i = 0; value && i < span.attributes.size(); ++i) {
        if (&span.attributes[i].value == value)
            return i;
    }
    return -1;
}

// Records, for DetailCodec, that the span's messages are what these attributes parse to.
void recordMessageOrigin(Span &span, const QVariant *input, const QVariant *output)
{
    MessageOrigin origin{MessageSource::of(span.attributes, attributeIndexOf(span, input), span.inputMessages),
                         MessageSource::of(span.attributes, attributeIndexOf(span, output), span.outputMessages)};
    if (origin.input.isSet() || origin.output.isSet())
        span.messageOrigin.origin = std::make_shared<MessageOrigin>(std::move(origin));
    else
        span.messageOrigin.origin.reset();
}

void normalizeImpl(Span &span)
{
    Collected c;
    const QHash<QString, KeyRule> &table = keyTable();
    for (const Attribute &a : std::as_const(span.attributes)) {
        const auto it = table.constFind(a.key);
        if (it != table.cend())
            c.offer(it->field, it->priority, &a.value);
        else
            dispatchPrefixed(a.key, a.value, c);
    }

    setText(span.operation, c.value(Field::Operation));
    setText(span.provider, c.value(Field::Provider));
    setText(span.requestModel, c.value(Field::RequestModel));
    setText(span.responseModel, c.value(Field::ResponseModel));
    setText(span.sessionId, c.value(Field::Session));
    setText(span.userId, c.value(Field::User));
    setText(span.agentName, c.value(Field::Agent));
    setText(span.toolName, c.value(Field::Tool));

    // Parameters: the free-form invocation parameters first, the typed GenAI ones on top.
    if (const QVariant *v = c.value(Field::InvocationParameters)) {
        const QVariantMap params = toMap(*v);
        for (auto it = params.cbegin(); it != params.cend(); ++it)
            span.parameters.insert(it.key(), it.value());
    }
    for (const auto &[key, value] : std::as_const(c.requestParameters))
        span.parameters.insert(key, *value);
    if (const QVariant *v = c.value(Field::ToolDescription))
        span.parameters.insert(QStringLiteral("description"), *v);
    if (const QVariant *v = c.value(Field::ToolParameters))
        span.parameters.insert(QStringLiteral("parameters"), *v);

    setCount(span.tokens.input, c.value(Field::TokensInput));
    setCount(span.tokens.output, c.value(Field::TokensOutput));
    setCount(span.tokens.total, c.value(Field::TokensTotal));
    setCount(span.tokens.cachedInput, c.value(Field::TokensCacheRead));
    setCount(span.tokens.cacheCreation, c.value(Field::TokensCacheWrite));
    setCount(span.tokens.reasoning, c.value(Field::TokensReasoning));

    {
        bool inOk = false, outOk = false, totalOk = false;
        const double in = c.value(Field::CostInput) ? toDouble(*c.value(Field::CostInput), &inOk) : 0;
        const double out = c.value(Field::CostOutput) ? toDouble(*c.value(Field::CostOutput), &outOk) : 0;
        const double total = c.value(Field::CostTotal) ? toDouble(*c.value(Field::CostTotal), &totalOk) : 0;
        if (inOk || outOk || totalOk) {
            span.cost.inputUsd = inOk ? in : 0;
            span.cost.outputUsd = outOk ? out : 0;
            span.cost.totalUsd = totalOk ? total : span.cost.inputUsd + span.cost.outputUsd;
            span.cost.source = CostSource::Reported;
        }
    }

    // Messages: the first source present wins, newest conventions first.
    const EventMessages events = span.events.isEmpty() ? EventMessages{} : collectEvents(span.events);
    const QString user = QStringLiteral("user");
    const QString assistant = QStringLiteral("assistant");
    QString unparsedInput, unparsedOutput;

    Messages input;
    bool haveInput = false;
    if (const QVariant *v = c.value(Field::InputMessages))
        haveInput = messagesFromValue(*v, user, input, &unparsedInput);
    // Exactly what the attribute parses to (messagesFromAttribute()), unless changed below.
    bool inputFromAttribute = haveInput;
    if (!haveInput && events.detailsInput)
        haveInput = messagesFromValue(*events.detailsInput, user, input, &unparsedInput);
    if (!haveInput && !c.oiInput.empty()) {
        input = toMessages(c.oiInput, false);
        haveInput = true;
    }
    if (!haveInput && !c.flatPrompt.empty()) {
        input = toMessages(c.flatPrompt, true);
        haveInput = true;
    }
    for (const QVariant *v : {c.value(Field::PromptText), events.prompt}) {
        if (!haveInput && v)
            haveInput = messagesFromValue(*v, user, input, &unparsedInput);
    }
    if (!haveInput && !events.logInput.isEmpty()) {
        input = events.logInput;
        haveInput = true;
    }
    const QVariant *system = c.value(Field::SystemInstructions) ? c.value(Field::SystemInstructions) : events.detailsSystem;
    if (system) {
        const Messages sys = systemInstructionMessages(*system);
        const bool alreadyThere = !sys.isEmpty() && !input.isEmpty() && input.first() == sys.first();
        if (!sys.isEmpty() && !alreadyThere) {
            input = sys + input;
            haveInput = true;
            inputFromAttribute = false;
        }
    }

    Messages output;
    bool haveOutput = false;
    if (const QVariant *v = c.value(Field::OutputMessages))
        haveOutput = messagesFromValue(*v, assistant, output, &unparsedOutput);
    bool outputFromAttribute = haveOutput;
    if (!haveOutput && events.detailsOutput)
        haveOutput = messagesFromValue(*events.detailsOutput, assistant, output, &unparsedOutput);
    if (!haveOutput && !c.oiOutput.empty()) {
        output = toMessages(c.oiOutput, false);
        haveOutput = true;
    }
    if (!haveOutput && !c.flatCompletion.empty()) {
        output = toMessages(c.flatCompletion, true);
        haveOutput = true;
    }
    for (const QVariant *v : {c.value(Field::CompletionText), events.completion}) {
        if (!haveOutput && v)
            haveOutput = messagesFromValue(*v, assistant, output, &unparsedOutput);
    }
    if (!haveOutput && !events.choices.empty()) {
        for (const auto &[index, msgs] : events.choices)
            output << msgs;
        haveOutput = !output.isEmpty();
    }
    if (const QVariant *v = c.value(Field::FinishReasons)) {
        const QStringList reasons = stringList(*v);
        for (qsizetype i = 0; i < output.size() && i < reasons.size(); ++i) {
            if (output[i].finishReason.isEmpty()) {
                output[i].finishReason = reasons.at(i);
                outputFromAttribute = outputFromAttribute && reasons.at(i).isEmpty();
            }
        }
    }
    if (haveInput)
        span.inputMessages = std::move(input);
    if (haveOutput)
        span.outputMessages = std::move(output);
    recordMessageOrigin(span, inputFromAttribute ? c.value(Field::InputMessages) : nullptr,
                        outputFromAttribute ? c.value(Field::OutputMessages) : nullptr);

    // Payloads given directly; a tool's arguments/result; last, text that should have been
    // messages but did not parse (truncated by the producer, typically) so it is not lost.
    if (const QVariant *v = c.value(Field::Input)) {
        const QString s = text(*v);
        if (!s.isEmpty()) {
            const QVariant *mime = c.priority(Field::Input) == 0 ? c.value(Field::InputMime) : nullptr;
            span.input = Payload{s, mime ? text(*mime) : guessMime(*v, s)};
        }
    }
    if (const QVariant *v = c.value(Field::Output)) {
        const QString s = text(*v);
        if (!s.isEmpty()) {
            const QVariant *mime = c.priority(Field::Output) == 0 ? c.value(Field::OutputMime) : nullptr;
            span.output = Payload{s, mime ? text(*mime) : guessMime(*v, s)};
        }
    }
    if (const QVariant *v = c.value(Field::ToolArguments); v && span.input.isEmpty()) {
        const QString s = text(*v);
        span.input = Payload{s, guessMime(*v, s)};
    }
    if (const QVariant *v = c.value(Field::ToolResult); v && span.output.isEmpty()) {
        const QString s = text(*v);
        span.output = Payload{s, guessMime(*v, s)};
    }
    if (span.inputMessages.isEmpty() && span.input.isEmpty() && !unparsedInput.isEmpty())
        span.input = Payload{unparsedInput, QStringLiteral("text/plain")};
    if (span.outputMessages.isEmpty() && span.output.isEmpty() && !unparsedOutput.isEmpty())
        span.output = Payload{unparsedOutput, QStringLiteral("text/plain")};

    // A reranker's result is its output list; its input list only when that is all there is.
    const FlatDocuments &docs = !c.retrieved.empty() ? c.retrieved
        : !c.rerankerOutput.empty()                  ? c.rerankerOutput
                                                     : c.rerankerInput;
    if (!docs.empty()) {
        span.documents.clear();
        for (const auto &[index, d] : docs)
            span.documents << d;
    }

    if (const QVariant *v = c.value(Field::Tags)) {
        for (const QString &t : stringList(*v)) {
            if (!span.tags.contains(t))
                span.tags << t;
        }
    }
    if (const QVariant *v = c.value(Field::Metadata)) {
        const QVariantMap m = toMap(*v);
        if (m.isEmpty() && !text(*v).isEmpty())
            span.metadata.insert(QStringLiteral("metadata"), *v);
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            span.metadata.insert(it.key(), it.value());
    }
    for (const auto &[key, value] : std::as_const(c.associationProperties))
        span.metadata.insert(key, *value);

    // Kind: OpenInference's explicit kind, then the GenAI operation, then Traceloop's kind, then a
    // model with usage or messages; otherwise whatever the importer chose.
    SpanKind kind = SpanKind::Span;
    if (const QVariant *v = c.value(Field::OiKind))
        kind = spanKindFromName(text(*v));
    if (kind == SpanKind::Span && !span.operation.isEmpty())
        kind = kindFromOperation(span.operation);
    if (kind == SpanKind::Span && c.value(Field::TraceloopKind))
        kind = kindFromTraceloop(text(*c.value(Field::TraceloopKind)));
    if (kind == SpanKind::Span && span.kind == SpanKind::Span && !span.model().isEmpty()
        && (!span.tokens.isEmpty() || !span.inputMessages.isEmpty() || !span.outputMessages.isEmpty()))
        kind = SpanKind::Llm;
    if (kind != SpanKind::Span)
        span.kind = kind;
}

} // namespace

Messages messagesFromAttribute(const QVariant &value, MessageDirection direction)
{
    Messages out;
    messagesFromValue(value, direction == MessageDirection::Input ? QStringLiteral("user") : QStringLiteral("assistant"),
                      out, nullptr);
    return out;
}

void normalize(Span &span)
{
    try {
        normalizeImpl(span);
    } catch (const std::exception &e) {
        // Nothing here should throw; if it does, the span keeps what was filled so far.
        qCWarning(lcSemconv) << "normalize failed for span" << span.spanId << e.what();
    }
}

} // namespace spanscope::semconv
