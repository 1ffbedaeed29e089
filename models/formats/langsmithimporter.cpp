#include "langsmithimporter.h"

#include "importcontext.h"
#include "jsonelements.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <map>

namespace spanscope {

using namespace vendor;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LangSmithImporter", text);
}

// dotted_order: "<stamp><run id>.<stamp><run id>…", root first, this run last.
struct DottedOrder {
    QString traceId;
    QString parentId;
    QString id;
    std::optional<qint64> start;
};

DottedOrder parseDottedOrder(const QString &dotted)
{
    DottedOrder d;
    if (dotted.isEmpty())
        return d;
    const QStringList segments = dotted.split(QLatin1Char('.'), Qt::SkipEmptyParts);
    constexpr qsizetype stampLength = 22;   // YYYYMMDDTHHMMSSffffffZ
    QStringList ids;
    for (const QString &seg : segments) {
        if (seg.size() > stampLength && seg.at(stampLength - 1) == QLatin1Char('Z'))
            ids << seg.mid(stampLength);
        else
            ids << QString();
    }
    if (ids.isEmpty())
        return d;
    d.traceId = normalizeId(ids.first(), true);
    d.id = normalizeId(ids.last(), false);
    if (ids.size() >= 2)
        d.parentId = normalizeId(ids.at(ids.size() - 2), false);
    const QByteArray stamp = segments.last().left(stampLength).toLatin1();
    d.start = timestamps::parseCompactStamp(std::string_view(stamp.constData(), size_t(stamp.size())));
    return d;
}

SpanKind kindOf(const QString &runType)
{
    const QString t = runType.toLower();
    if (t == u"llm")
        return SpanKind::Llm;
    if (t == u"parser")
        return SpanKind::Span;
    return spanKindFromName(t);   // chain, tool, retriever, embedding, prompt; others are spans
}

QString runId(const Json &run)
{
    QString id = normalizeId(memberText(run, "id"), false);
    if (id.isEmpty())
        id = parseDottedOrder(memberText(run, "dotted_order")).id;
    return id;
}

bool hasStart(const Json &run)
{
    return member(run, "start_time") || member(run, "dotted_order");
}

bool isComplete(const Json &run)
{
    return hasStart(run) && member(run, "name") && (member(run, "end_time") || member(run, "error"));
}

// Later fields win; extra (and its metadata) merge key by key.
void mergeRun(Json &target, const Json &record)
{
    if (!target.is_object())
        target = Json::object();
    for (auto it = record.begin(); it != record.end(); ++it) {
        if (it.value().is_null())
            continue;
        Json &slot = target[it.key()];
        if (it.key() == "extra" && slot.is_object() && it.value().is_object()) {
            for (auto e = it.value().begin(); e != it.value().end(); ++e) {
                if (e.value().is_null())
                    continue;
                Json &inner = slot[e.key()];
                if (e.key() == "metadata" && inner.is_object() && e.value().is_object()) {
                    for (auto m = e.value().begin(); m != e.value().end(); ++m)
                        inner[m.key()] = m.value();
                } else {
                    inner = e.value();
                }
            }
        } else {
            slot = it.value();
        }
    }
}

const Json *firstGenerationMessage(const Json *outputs)
{
    const Json *generations = outputs ? member(*outputs, "generations") : nullptr;
    if (!generations || !generations->is_array() || generations->empty())
        return nullptr;
    const Json &first = generations->front();
    const Json &g = first.is_array() ? (first.empty() ? first : first.front()) : first;
    const Json *message = member(g, "message");
    if (!message)
        return nullptr;
    if (const Json *kwargs = member(*message, "kwargs"))
        return kwargs;
    return message;
}

class LangSmithSink : public ElementSink
{
public:
    explicit LangSmithSink(ImportContext &ctx) : m_ctx(ctx) {}

    void element(const std::string &container, Json &&value, const ElementPosition &position) override
    {
        ++m_elements;
        record(std::move(value), container == "patch", position, QString());
    }

    void rootObject(Json &&object, const ElementPosition &position) override
    {
        if (member(object, "run_type") || member(object, "dotted_order") || (member(object, "id") && member(object, "start_time"))) {
            record(std::move(object), false, position, QString());
            return;
        }
        if (m_elements == 0 && !member(object, "post") && !member(object, "patch") && !member(object, "runs"))
            m_ctx.error(position.offset, position.line, tr("the object is not a LangSmith run or run batch"));
    }

    // Runs still waiting for their patches are handed over as they are (unfinished).
    void finish()
    {
        for (auto &[order, id] : m_pendingOrder) {
            auto it = m_pending.find(id);
            if (it == m_pending.end())
                continue;
            Pending p = std::move(it.value());
            m_pending.erase(it);
            if (!hasStart(p.merged)) {
                m_ctx.skipSpan(p.position.offset, p.position.line,
                               tr("run %1 has updates but no start (no start_time or dotted_order); skipped").arg(id));
                continue;
            }
            convert(p.merged, p.position);
        }
        m_pending.clear();
        m_pendingOrder.clear();
    }

private:
    struct Pending {
        Json merged;
        bool hasBase = false;
        ElementPosition position;
    };

    void record(Json &&run, bool isPatch, const ElementPosition &position, const QString &parentFromTree)
    {
        if (!run.is_object()) {
            m_ctx.skipSpan(position.offset, position.line, tr("an element that is not a LangSmith run object; skipped"));
            return;
        }
        // Runs exported as a tree carry their children inline.
        if (Json *children = run.is_object() && run.contains("child_runs") ? &run["child_runs"] : nullptr; children && children->is_array()) {
            Json list = std::move(*children);
            run.erase("child_runs");
            const QString id = runId(run);
            record(std::move(run), isPatch, position, parentFromTree);
            for (Json &child : list)
                record(std::move(child), isPatch, position, id);
            return;
        }
        if (!parentFromTree.isEmpty() && !member(run, "parent_run_id"))
            run["parent_run_id"] = parentFromTree.toStdString();
        const QString id = runId(run);
        if (id.isEmpty()) {
            m_ctx.skipSpan(position.offset, position.line, tr("run \"%1\" has no id; skipped").arg(memberText(run, "name")));
            return;
        }
        auto it = m_pending.find(id);
        if (it != m_pending.end()) {
            Pending &p = it.value();
            // The post is the base whatever order records come in; patches go on top of it.
            if (!isPatch && hasStart(run) && !p.hasBase) {
                Json base = std::move(run);
                mergeRun(base, p.merged);
                p.merged = std::move(base);
                p.hasBase = true;
                p.position = position;
            } else {
                mergeRun(p.merged, run);
            }
            if (isComplete(p.merged)) {
                Pending done = std::move(p);
                m_pending.erase(it);
                m_emitted.insert(id);
                convert(done.merged, done.position);
            }
            return;
        }
        if (m_emitted.contains(id)) {
            m_ctx.warning(position.offset, position.line,
                          tr("run %1: an update arrived after the run was complete and imported; it was not applied").arg(id));
            return;
        }
        if (!isPatch && isComplete(run)) {
            m_emitted.insert(id);
            convert(run, position);
            return;
        }
        Pending p;
        p.hasBase = !isPatch && hasStart(run);
        p.merged = std::move(run);
        p.position = position;
        m_pending.insert(id, std::move(p));
        m_pendingOrder.emplace(m_sequence++, id);
    }

    void convert(const Json &run, const ElementPosition &position)
    {
        Span s;
        const DottedOrder dotted = parseDottedOrder(memberText(run, "dotted_order"));
        s.spanId = runId(run);
        s.traceId = normalizeId(memberText(run, "trace_id"), true);
        if (s.traceId.isEmpty())
            s.traceId = dotted.traceId;
        if (s.traceId.isEmpty())
            s.traceId = s.spanId;
        s.parentSpanId = normalizeId(memberText(run, "parent_run_id"), false);
        if (s.parentSpanId.isEmpty() && dotted.id == s.spanId)
            s.parentSpanId = dotted.parentId;
        if (s.parentSpanId == s.spanId)
            s.parentSpanId.clear();
        s.name = memberText(run, "name");
        const QString runType = memberText(run, "run_type");
        const SpanKind kind = kindOf(runType);
        const bool isLlm = kind == SpanKind::Llm;

        std::optional<qint64> start = toTimeNs(member(run, "start_time"));
        if (!start)
            start = dotted.start;
        if (!start)
            m_ctx.warning(position.offset, position.line, tr("run %1 (\"%2\") has no valid start_time").arg(s.spanId, s.name));
        s.startNs = start.value_or(0);
        s.endNs = toTimeNs(member(run, "end_time")).value_or(0);

        const QString error = memberText(run, "error");
        const QString status = memberText(run, "status").toLower();
        if (!error.isEmpty()) {
            s.status = StatusCode::Error;
            const QString firstLine = error.section(QLatin1Char('\n'), 0, 0).trimmed();
            s.statusMessage = firstLine;
            static const QRegularExpression typePattern(QStringLiteral("^([A-Za-z_][\\w.]*)(?:\\(|: )"));
            const QRegularExpressionMatch m = typePattern.match(firstLine);
            s.events.push_back(exceptionEvent(s.endNs > 0 ? s.endNs : s.startNs, m.hasMatch() ? m.captured(1) : QString(), firstLine,
                                              error.contains(QLatin1Char('\n')) ? error : QString()));
        } else if (status == u"error") {
            s.status = StatusCode::Error;
        } else if (status == u"success") {
            s.status = StatusCode::Ok;
        }

        const Json *extra = member(run, "extra");
        const Json *metadata = extra ? member(*extra, "metadata") : nullptr;
        const Json *invocation = extra ? member(*extra, "invocation_params") : nullptr;
        const Json *inputs = member(run, "inputs");
        const Json *outputs = member(run, "outputs");
        const Json *generationMessage = firstGenerationMessage(outputs);

        AttributeBuilder b(s.attributes);
        b.kind(kind);
        b.provider(metadata ? memberText(*metadata, "ls_provider") : QString());
        QString requestModel = metadata ? memberText(*metadata, "ls_model_name") : QString();
        if (requestModel.isEmpty() && invocation)
            requestModel = memberText(*invocation, "model");
        if (requestModel.isEmpty() && invocation)
            requestModel = memberText(*invocation, "model_name");
        if (requestModel.isEmpty() && isLlm && inputs && member(*inputs, "model") && member(*inputs, "model")->is_string())
            requestModel = memberText(*inputs, "model");
        b.requestModel(requestModel);
        QString responseModel;
        if (outputs) {
            if (const Json *m = member(*outputs, "model"); m && m->is_string())
                responseModel = text(*m);
            if (responseModel.isEmpty())
                responseModel = text(path(*outputs, {"llm_output", "model_name"}));
            if (responseModel.isEmpty())
                responseModel = text(path(*outputs, {"response_metadata", "model_name"}));
        }
        if (responseModel.isEmpty() && generationMessage)
            responseModel = text(path(*generationMessage, {"response_metadata", "model_name"}));
        b.responseModel(responseModel);

        Json params = Json::object();
        if (invocation && invocation->is_object()) {
            for (auto it = invocation->begin(); it != invocation->end(); ++it) {
                if (it.key() != "messages" && !it.value().is_null())
                    params[it.key()] = it.value();
            }
        }
        if (metadata) {
            for (const auto &[from, to] : {std::pair{"ls_temperature", "temperature"}, std::pair{"ls_max_tokens", "max_tokens"},
                                           std::pair{"ls_stop", "stop"}}) {
                if (const Json *v = member(*metadata, from); v && !params.contains(to))
                    params[to] = *v;
            }
        }
        if (isLlm && inputs && inputs->is_object()) {
            for (const char *k : {"temperature", "max_tokens", "max_completion_tokens", "top_p", "top_k", "stop", "seed", "n",
                                  "presence_penalty", "frequency_penalty", "stream", "stream_options", "response_format",
                                  "tool_choice", "parallel_tool_calls", "logprobs", "reasoning_effort"}) {
                if (const Json *v = member(*inputs, k); v && !params.contains(k))
                    params[k] = *v;
            }
        }
        b.parameters(params);
        if (kind == SpanKind::Tool)
            b.toolName(s.name);
        b.input(inputs);
        b.output(outputs);

        TokenUsage usage;
        if (outputs) {
            if (const Json *um = member(*outputs, "usage_metadata"))
                usage = usageFrom(*um);
            if (usage.isEmpty() && generationMessage)
                if (const Json *um = member(*generationMessage, "usage_metadata"))
                    usage = usageFrom(*um);
            if (usage.isEmpty())
                if (const Json *tu = path(*outputs, {"llm_output", "token_usage"}))
                    usage = usageFrom(*tu);
            if (usage.isEmpty())
                if (const Json *u = member(*outputs, "usage"))
                    usage = usageFrom(*u);
        }
        // On other run types these are roll-ups of the children: kept raw, not counted again.
        if (usage.isEmpty() && isLlm) {
            Json flat = Json::object();
            for (const char *k : {"prompt_tokens", "completion_tokens", "total_tokens"}) {
                if (const Json *v = member(run, k))
                    flat[k] = *v;
            }
            usage = usageFrom(flat);
            if (usage.input == 0 && usage.output == 0 && usage.total <= 0)
                usage = TokenUsage();   // the API's default for a run that reported nothing
        }
        b.tokens(usage);
        if (isLlm) {
            const auto in = toDouble(member(run, "prompt_cost"));
            const auto out = toDouble(member(run, "completion_cost"));
            const auto total = toDouble(member(run, "total_cost"));
            if ((in && *in != 0) || (out && *out != 0) || (total && *total != 0))
                b.cost(in, out, total);
        }
        b.tags(member(run, "tags"));
        b.metadata(metadata);
        if (metadata) {
            for (const char *k : {"session_id", "thread_id", "conversation_id"}) {
                if (const QString v = memberText(*metadata, k); !v.isEmpty()) {
                    b.session(v);
                    break;
                }
            }
            b.user(memberText(*metadata, "user_id"));
        }
        if (const Json *events = member(run, "events"); events && events->is_array()) {
            for (const Json &e : *events) {
                SpanEvent ev;
                ev.name = memberText(e, "name");
                ev.timeNs = toTimeNs(member(e, "time")).value_or(0);
                if (const Json *kwargs = member(e, "kwargs"); kwargs && kwargs->is_object()) {
                    for (auto it = kwargs->begin(); it != kwargs->end(); ++it) {
                        const QVariant v = toAttributeValue(it.value());
                        if (v.isValid())
                            ev.attributes.push_back({toQString(it.key()), v});
                    }
                }
                s.events.push_back(std::move(ev));
            }
        }
        if (isLlm) {
            b.rest(QStringLiteral("langsmith."), run,
                   {"id", "trace_id", "parent_run_id", "name", "start_time", "end_time", "inputs", "outputs", "error", "tags",
                    "events", "extra", "session_name", "prompt_tokens", "completion_tokens", "total_tokens", "prompt_cost",
                    "completion_cost", "total_cost"});
        } else {
            b.rest(QStringLiteral("langsmith."), run,
                   {"id", "trace_id", "parent_run_id", "name", "start_time", "end_time", "inputs", "outputs", "error", "tags",
                    "events", "extra", "session_name"});
        }
        if (extra)
            b.rest(QStringLiteral("langsmith.extra."), *extra, {"metadata", "invocation_params"});
        setService(s, memberText(run, "session_name"));
        m_ctx.emitSpan(std::move(s));
    }

    ImportContext &m_ctx;
    QHash<QString, Pending> m_pending;
    std::map<qint64, QString> m_pendingOrder;
    QSet<QString> m_emitted;
    qint64 m_sequence = 0;
    qint64 m_elements = 0;
};

} // namespace

QString LangSmithImporter::name() const
{
    return QStringLiteral("langsmith");
}

int LangSmithImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonProbe &p = JsonProbe::of(head, complete);
    auto runLike = [&](const std::string &prefix) {
        return p.has(prefix + "run_type") || p.has(prefix + "dotted_order")
            || (p.has(prefix + "parent_run_id") && (p.has(prefix + "trace_id") || p.has(prefix + "start_time")));
    };
    if (p.kind == JsonProbe::Kind::Object) {
        if ((p.has("post") || p.has("patch")) && (runLike("post[].") || runLike("patch[].") || p.has("post[].id") || p.has("patch[].id")))
            return 95;
        if (runLike("runs[]."))
            return 90;
        if (runLike(""))
            return 85;
        return 0;
    }
    if (p.kind == JsonProbe::Kind::Array && runLike("[]."))
        return 90;
    return 0;
}

void LangSmithImporter::import(ImportContext &ctx) const
{
    LangSmithSink sink(ctx);
    readJsonElements(ctx, sink, ElementReaderOptions{{"post", "patch", "runs"}});
    if (!ctx.isCancelled())
        sink.finish();
}

} // namespace spanscope
