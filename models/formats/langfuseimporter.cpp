#include "langfuseimporter.h"

#include "importcontext.h"
#include "jsonelements.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <map>

namespace spanscope {

using namespace vendor;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LangfuseImporter", text);
}

SpanKind kindOf(const QString &type)
{
    static const QHash<QString, SpanKind> map = {
        {QStringLiteral("GENERATION"), SpanKind::Llm},     {QStringLiteral("AGENT"), SpanKind::Agent},
        {QStringLiteral("TOOL"), SpanKind::Tool},          {QStringLiteral("CHAIN"), SpanKind::Chain},
        {QStringLiteral("RETRIEVER"), SpanKind::Retriever}, {QStringLiteral("EVALUATOR"), SpanKind::Evaluator},
        {QStringLiteral("EMBEDDING"), SpanKind::Embedding}, {QStringLiteral("GUARDRAIL"), SpanKind::Guardrail},
    };
    return map.value(type.toUpper(), SpanKind::Span);
}

bool isIngestionEvent(const Json &v)
{
    const Json *type = member(v, "type");
    const Json *body = member(v, "body");
    return type && type->is_string() && type->get_ref<const std::string &>().find('-') != std::string::npos && body
        && body->is_object();
}

bool isTrace(const Json &v)
{
    if (!v.is_object())
        return false;
    if (const Json *o = member(v, "observations"); o && o->is_array())
        return true;
    // Zipkin spans have an id and a timestamp too, but a number, not ISO-8601 text.
    const Json *timestamp = member(v, "timestamp");
    return member(v, "id") && timestamp && timestamp->is_string() && !member(v, "startTime") && !member(v, "type");
}

bool isObservation(const Json &v)
{
    return v.is_object() && member(v, "startTime") && member(v, "id") && (member(v, "type") || member(v, "traceId"));
}

// Langfuse cost details mirror the usage buckets ("input", "input_cached_tokens", "output", …,
// "total"): input and output are the sums of their buckets.
void costs(AttributeBuilder &b, const Json &o, bool hasUsageOrModel)
{
    std::optional<double> in, out, total;
    auto add = [](std::optional<double> &acc, double v) { acc = acc.value_or(0) + v; };
    if (const Json *cd = member(o, "costDetails"); cd && cd->is_object() && !cd->empty()) {
        for (auto it = cd->begin(); it != cd->end(); ++it) {
            const auto v = toDouble(&it.value());
            if (!v)
                continue;
            const std::string &k = it.key();
            if (k == "total")
                total = *v;
            else if (k.find("input") != std::string::npos || k.find("prompt") != std::string::npos || k.find("cache") != std::string::npos)
                add(in, *v);
            else if (k.find("output") != std::string::npos || k.find("completion") != std::string::npos
                     || k.find("reasoning") != std::string::npos)
                add(out, *v);
        }
        if (!total && (in || out))
            total = in.value_or(0) + out.value_or(0);
    } else if (member(o, "calculatedTotalCost") || member(o, "calculatedInputCost") || member(o, "calculatedOutputCost")) {
        in = toDouble(member(o, "calculatedInputCost"));
        out = toDouble(member(o, "calculatedOutputCost"));
        total = toDouble(member(o, "calculatedTotalCost"));
    } else if (const Json *usage = member(o, "usage")) {
        in = toDouble(member(*usage, "inputCost"));
        out = toDouble(member(*usage, "outputCost"));
        total = toDouble(member(*usage, "totalCost"));
    }
    // The API reports 0 for every observation without a model; that is no cost, not a $0 call.
    const bool allZero = in.value_or(0) == 0 && out.value_or(0) == 0 && total.value_or(0) == 0;
    if ((in || out || total) && (hasUsageOrModel || !allZero))
        b.cost(in, out, total);
}

SpanEvent scoreEvent(const Json &score)
{
    SpanEvent e;
    e.name = QStringLiteral("langfuse.score");
    e.timeNs = toTimeNs(member(score, "timestamp")).value_or(0);
    if (score.is_object()) {
        for (auto it = score.begin(); it != score.end(); ++it) {
            const QVariant v = toAttributeValue(it.value());
            if (v.isValid() && it.key() != "timestamp")
                e.attributes.push_back({toQString(it.key()), v});
        }
    }
    return e;
}

struct Converted {
    Span span;
    bool ok = false;
};

class LangfuseSink : public ElementSink
{
public:
    explicit LangfuseSink(ImportContext &ctx) : m_ctx(ctx) {}

    void element(const std::string &container, Json &&value, const ElementPosition &position) override
    {
        ++m_elements;
        if (container == "batch" || isIngestionEvent(value)) {
            m_events.push_back(Event{std::move(value), position, qint64(m_events.size())});
            return;
        }
        classify(value, position);
    }

    void rootObject(Json &&object, const ElementPosition &position) override
    {
        if (isTrace(object) || isObservation(object)) {
            classify(object, position);
            return;
        }
        if (m_elements == 0 && !member(object, "meta") && !member(object, "batch") && !member(object, "data"))
            m_ctx.error(position.offset, position.line, tr("the object is not a Langfuse trace, observation or ingestion batch"));
    }

    // The ingestion batch is merged and handed over once all of it has been read.
    void finish();

private:
    struct Event {
        Json value;
        ElementPosition position;
        qint64 sequence;
    };

    void classify(const Json &value, const ElementPosition &position)
    {
        if (isTrace(value))
            traceWithObservations(value, position);
        else if (isObservation(value))
            emitIf(observation(value, QString(), QString(), position));
        else
            m_ctx.skipSpan(position.offset, position.line, tr("an element that is not a Langfuse trace, observation or ingestion event; skipped"));
    }

    void emitIf(Converted &&c)
    {
        if (c.ok)
            m_ctx.emitSpan(std::move(c.span));
    }

    Converted observation(const Json &o, const QString &traceIdFallback, const QString &rootId, const ElementPosition &position)
    {
        Converted c;
        Span &s = c.span;
        s.spanId = normalizeId(memberText(o, "id"), false);
        s.name = memberText(o, "name");
        if (s.spanId.isEmpty()) {
            m_ctx.skipSpan(position.offset, position.line, tr("observation \"%1\" has no id; skipped").arg(s.name));
            return c;
        }
        s.traceId = normalizeId(memberText(o, "traceId"), true);
        if (s.traceId.isEmpty())
            s.traceId = traceIdFallback;
        if (s.traceId.isEmpty()) {
            // Langfuse files such an observation under a trace of its own.
            s.traceId = normalizeId(memberText(o, "id"), true);
            m_ctx.warning(position.offset, position.line, tr("observation %1 has no traceId; it is a trace of its own").arg(s.spanId));
        }
        s.parentSpanId = normalizeId(memberText(o, "parentObservationId"), false);
        if (s.parentSpanId.isEmpty() || s.parentSpanId == s.spanId)
            s.parentSpanId = rootId;
        const QString type = memberText(o, "type").toUpper();
        const std::optional<qint64> start = toTimeNs(member(o, "startTime"));
        if (!start)
            m_ctx.warning(position.offset, position.line, tr("observation %1 (\"%2\") has no valid startTime").arg(s.spanId, s.name));
        s.startNs = start.value_or(0);
        s.endNs = toTimeNs(member(o, "endTime")).value_or(0);
        if (type == u"EVENT" && s.endNs == 0)
            s.endNs = s.startNs;   // events are points in time
        if (memberText(o, "level").toUpper() == u"ERROR")
            s.status = StatusCode::Error;
        s.statusMessage = memberText(o, "statusMessage");

        AttributeBuilder b(s.attributes);
        const SpanKind kind = kindOf(type);
        b.kind(kind);
        const QString model = memberText(o, "model");
        b.requestModel(model);
        if (const Json *p = member(o, "modelParameters"))
            b.parameters(*p);
        if (kind == SpanKind::Tool)
            b.toolName(s.name);
        b.input(member(o, "input"));
        b.output(member(o, "output"));

        TokenUsage usage;
        bool usageIsTokens = true;
        if (const Json *ud = member(o, "usageDetails"); ud && ud->is_object() && !ud->empty()) {
            usage = usageFrom(*ud);
        } else if (const Json *u = member(o, "usage"); u && u->is_object()) {
            usage = usageFrom(*u);
            const QString unit = memberText(*u, "unit").toUpper();
            usageIsTokens = unit.isEmpty() || unit == u"TOKENS";
        }
        if (usage.isEmpty() && (member(o, "promptTokens") || member(o, "completionTokens") || member(o, "totalTokens"))) {
            Json flat = Json::object();
            for (const char *k : {"promptTokens", "completionTokens", "totalTokens"}) {
                if (const Json *v = member(o, k))
                    flat[k] = *v;
            }
            usage = usageFrom(flat);
        }
        // Langfuse reports 0 tokens for observations that are not model calls.
        const bool noUsage = usage.input <= 0 && usage.output <= 0 && usage.total <= 0;
        if (!(noUsage && model.isEmpty()))
            b.tokens(usage);
        costs(b, o, !model.isEmpty() || !noUsage);
        b.metadata(member(o, "metadata"));
        if (usageIsTokens) {
            b.rest(QStringLiteral("langfuse.observation."), o,
                   {"id", "traceId", "parentObservationId", "name", "startTime", "endTime", "input", "output", "metadata", "model",
                    "modelParameters", "usage", "usageDetails", "costDetails", "calculatedInputCost", "calculatedOutputCost",
                    "calculatedTotalCost", "promptTokens", "completionTokens", "totalTokens", "statusMessage"});
        } else {
            b.rest(QStringLiteral("langfuse.observation."), o,
                   {"id", "traceId", "parentObservationId", "name", "startTime", "endTime", "input", "output", "metadata", "model",
                    "modelParameters", "usageDetails", "costDetails", "calculatedInputCost", "calculatedOutputCost",
                    "calculatedTotalCost", "statusMessage"});
        }
        c.ok = true;
        return c;
    }

    Span traceSpan(const Json &t, const QString &rootId, qint64 endNs, const ElementPosition &position)
    {
        Span s;
        s.traceId = normalizeId(memberText(t, "id"), true);
        s.spanId = rootId;
        s.name = memberText(t, "name");
        if (s.name.isEmpty())
            s.name = QStringLiteral("trace");
        const std::optional<qint64> start = toTimeNs(member(t, "timestamp"));
        if (!start)
            m_ctx.warning(position.offset, position.line, tr("trace %1 has no valid timestamp").arg(s.traceId));
        s.startNs = start.value_or(0);
        s.endNs = std::max(endNs, s.startNs);
        AttributeBuilder b(s.attributes);
        b.kind(SpanKind::Chain);
        b.input(member(t, "input"));
        b.output(member(t, "output"));
        b.session(memberText(t, "sessionId"));
        b.user(memberText(t, "userId"));
        b.tags(member(t, "tags"));
        b.metadata(member(t, "metadata"));
        b.rest(QStringLiteral("langfuse.trace."), t,
               {"id", "name", "timestamp", "input", "output", "sessionId", "userId", "tags", "metadata", "observations", "scores"});
        return s;
    }

    // The root id of a trace: the trace id, unless an observation already uses it.
    static QString rootIdFor(const QString &traceId, const QList<QString> &observationIds)
    {
        QString id = traceId;
        while (observationIds.contains(id))
            id += QStringLiteral("-trace");
        return id;
    }

    void traceWithObservations(const Json &t, const ElementPosition &position)
    {
        const QString traceId = normalizeId(memberText(t, "id"), true);
        if (traceId.isEmpty()) {
            m_ctx.skipSpan(position.offset, position.line, tr("trace \"%1\" has no id; skipped").arg(memberText(t, "name")));
            return;
        }
        const Json *observations = member(t, "observations");
        QList<QString> ids;
        if (observations && observations->is_array()) {
            for (const Json &o : *observations)
                ids << normalizeId(memberText(o, "id"), false);
        }
        const QString rootId = rootIdFor(traceId, ids);
        SpanList spans;
        qint64 end = 0;
        if (observations && observations->is_array()) {
            for (const Json &o : *observations) {
                if (!o.is_object())
                    continue;   // the list endpoint gives observation ids only
                Converted c = observation(o, traceId, rootId, position);
                if (!c.ok)
                    continue;
                end = std::max({end, c.span.endNs, c.span.startNs});
                spans.push_back(std::move(c.span));
            }
        }
        if (spans.isEmpty()) {
            if (const auto latency = toDouble(member(t, "latency")); latency && *latency > 0)
                end = toTimeNs(member(t, "timestamp")).value_or(0) + qint64(*latency * 1e9);
        }
        Span root = traceSpan(t, rootId, end, position);
        if (const Json *scores = member(t, "scores"); scores && scores->is_array()) {
            for (const Json &score : *scores) {
                if (!score.is_object())
                    continue;
                attachScore(score, root, spans);
            }
        }
        m_ctx.emitSpan(std::move(root));
        for (Span &s : spans)
            m_ctx.emitSpan(std::move(s));
    }

    static void attachScore(const Json &score, Span &root, SpanList &spans)
    {
        const QString observationId = normalizeId(memberText(score, "observationId"), false);
        for (Span &s : spans) {
            if (!observationId.isEmpty() && s.spanId == observationId) {
                s.events.push_back(scoreEvent(score));
                return;
            }
        }
        root.events.push_back(scoreEvent(score));
    }

    ImportContext &m_ctx;
    std::vector<Event> m_events;
    qint64 m_elements = 0;
};

// Observation type named by an ingestion event type ("generation-update" → GENERATION).
QString observationTypeOf(const QString &eventType, const Json &body)
{
    const QString prefix = eventType.section(QLatin1Char('-'), 0, 0).toUpper();
    if (prefix == u"OBSERVATION")
        return memberText(body, "type").toUpper();
    static const QStringList known = {QStringLiteral("SPAN"),      QStringLiteral("GENERATION"), QStringLiteral("EVENT"),
                                      QStringLiteral("AGENT"),     QStringLiteral("TOOL"),       QStringLiteral("CHAIN"),
                                      QStringLiteral("RETRIEVER"), QStringLiteral("EVALUATOR"),  QStringLiteral("EMBEDDING"),
                                      QStringLiteral("GUARDRAIL")};
    return known.contains(prefix) ? prefix : QString();
}

void mergeInto(Json &target, const Json &body)
{
    if (!target.is_object())
        target = Json::object();
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.value().is_null())
            continue;
        Json &slot = target[it.key()];
        if (it.key() == "metadata" && slot.is_object() && it.value().is_object()) {
            for (auto m = it.value().begin(); m != it.value().end(); ++m)
                slot[m.key()] = m.value();
        } else {
            slot = it.value();
        }
    }
}

void LangfuseSink::finish()
{
    if (m_events.empty())
        return;
    // Updates apply in event-time order (the order Langfuse applies them), ties in file order.
    std::vector<std::pair<qint64, qsizetype>> order;
    order.reserve(m_events.size());
    for (qsizetype i = 0; i < qsizetype(m_events.size()); ++i)
        order.emplace_back(toTimeNs(member(m_events[size_t(i)].value, "timestamp")).value_or(0), i);
    std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first < b.first; });

    struct Entity {
        Json body;
        QString type;          // observation type; empty for a trace
        ElementPosition position;
        bool created = false;
        qsizetype firstSeen = 0;
    };
    std::map<QString, Entity> traces, observations;
    QList<QString> traceOrder, observationOrder;
    std::vector<std::pair<Json, ElementPosition>> scores;

    for (const auto &[time, index] : order) {
        const Event &ev = m_events[size_t(index)];
        const ElementPosition &pos = ev.position;
        const QString type = memberText(ev.value, "type");
        const Json *body = member(ev.value, "body");
        if (!body || !body->is_object()) {
            m_ctx.skipSpan(pos.offset, pos.line, tr("ingestion event %1 (%2) has no body; skipped").arg(memberText(ev.value, "id"), type));
            continue;
        }
        if (type == u"score-create") {
            scores.emplace_back(*body, pos);
            continue;
        }
        if (type == u"sdk-log")
            continue;
        const bool isTraceEvent = type == u"trace-create";
        const bool isCreate = type.endsWith(QStringLiteral("-create"));
        const QString obsType = isTraceEvent ? QString() : observationTypeOf(type, *body);
        if (!isTraceEvent && obsType.isEmpty() && !type.startsWith(QStringLiteral("observation-"))) {
            m_ctx.warning(pos.offset, pos.line, tr("unknown ingestion event type \"%1\"; skipped").arg(type));
            continue;
        }
        QString id = isTraceEvent ? normalizeId(memberText(*body, "id"), true) : normalizeId(memberText(*body, "id"), false);
        if (id.isEmpty()) {
            if (!isCreate) {
                m_ctx.skipSpan(pos.offset, pos.line, tr("%1 event without a body id; skipped").arg(type));
                continue;
            }
            id = hashId(compact(*body).toUtf8(), 16);
            m_ctx.warning(pos.offset, pos.line, tr("%1 event without a body id; using %2").arg(type, id));
        }
        auto &map = isTraceEvent ? traces : observations;
        auto &list = isTraceEvent ? traceOrder : observationOrder;
        auto [it, inserted] = map.try_emplace(id);
        Entity &e = it->second;
        if (inserted) {
            e.position = pos;
            e.firstSeen = index;
            list << id;
        }
        mergeInto(e.body, *body);
        if (!e.body.contains("id"))
            e.body["id"] = id.toStdString();
        if (isCreate && !e.created) {
            e.created = true;
            e.position = pos;
        }
        if (!obsType.isEmpty() && (isCreate || e.type.isEmpty()))
            e.type = obsType;
    }

    // Observations first: the trace roots need their end.
    QHash<QString, qint64> traceEnd;
    SpanList spans;
    QList<QString> allObservationIds = observationOrder;
    for (const QString &id : std::as_const(observationOrder)) {
        Entity &e = observations[id];
        if (!e.created)
            m_ctx.warning(e.position.offset, e.position.line, tr("observation %1 has updates but no create event").arg(id));
        if (!e.type.isEmpty())
            e.body["type"] = e.type.toStdString();
        const QString traceId = normalizeId(memberText(e.body, "traceId"), true);
        const QString rootId = traces.count(traceId) ? rootIdFor(traceId, allObservationIds) : QString();
        Converted c = observation(e.body, QString(), rootId, e.position);
        if (!c.ok)
            continue;
        qint64 &end = traceEnd[c.span.traceId];
        end = std::max({end, c.span.endNs, c.span.startNs});
        spans.push_back(std::move(c.span));
    }
    SpanList roots;
    for (const QString &id : std::as_const(traceOrder)) {
        const Entity &e = traces[id];
        roots.push_back(traceSpan(e.body, rootIdFor(id, allObservationIds), traceEnd.value(id, 0), e.position));
    }
    for (const auto &[score, pos] : scores) {
        const QString traceId = normalizeId(memberText(score, "traceId"), true);
        const QString observationId = normalizeId(memberText(score, "observationId"), false);
        bool attached = false;
        for (Span &s : spans) {
            if (!observationId.isEmpty() && s.spanId == observationId && (traceId.isEmpty() || s.traceId == traceId)) {
                s.events.push_back(scoreEvent(score));
                attached = true;
                break;
            }
        }
        for (qsizetype i = 0; i < roots.size() && !attached; ++i) {
            if (roots[i].traceId == traceId) {
                roots[i].events.push_back(scoreEvent(score));
                attached = true;
            }
        }
        if (!attached)
            m_ctx.warning(pos.offset, pos.line, tr("score \"%1\" refers to a trace or observation that is not in the input; skipped")
                                                     .arg(memberText(score, "name")));
    }
    for (Span &s : roots)
        m_ctx.emitSpan(std::move(s));
    for (Span &s : spans)
        m_ctx.emitSpan(std::move(s));
    m_events.clear();
}

} // namespace

QString LangfuseImporter::name() const
{
    return QStringLiteral("langfuse");
}

int LangfuseImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonProbe &p = JsonProbe::of(head, complete);
    auto eventType = [&](const std::string &path) {
        const std::string t = p.value(path);
        return t.find("-create") != std::string::npos || t.find("-update") != std::string::npos || t == "sdk-log";
    };
    auto traceLike = [&](const std::string &prefix) {
        return p.has(prefix + "observations") || (p.has(prefix + "id") && p.has(prefix + "timestamp") && p.has(prefix + "name")
                                                  && p.hasAny({"sessionId", "userId", "htmlPath", "[].htmlPath", "data[].htmlPath",
                                                               "data[].sessionId", "[].sessionId", "data[].userId", "[].userId"}));
    };
    auto observationLike = [&](const std::string &prefix) {
        return p.has(prefix + "startTime") && p.has(prefix + "traceId")
            && (p.has(prefix + "type") || p.has(prefix + "parentObservationId") || p.has(prefix + "completionStartTime"));
    };
    if (p.kind == JsonProbe::Kind::Object) {
        if (p.has("batch[].body") && eventType("batch[].type"))
            return 95;
        if (p.has("batch[].body") && p.has("batch[].type"))
            return 80;
        if (traceLike("data[].") || observationLike("data[]."))
            return 90;
        if (traceLike("") || observationLike(""))
            return 85;
        if (p.has("body") && eventType("type"))
            return 85;   // ingestion events, one per line
        return 0;
    }
    if (p.kind == JsonProbe::Kind::Array) {
        if (p.has("[].body") && eventType("[].type"))
            return 90;
        if (traceLike("[].") || observationLike("[]."))
            return 90;
    }
    return 0;
}

void LangfuseImporter::import(ImportContext &ctx) const
{
    LangfuseSink sink(ctx);
    readJsonElements(ctx, sink, ElementReaderOptions{{"data", "batch"}});
    if (!ctx.isCancelled())
        sink.finish();
}

} // namespace spanscope
