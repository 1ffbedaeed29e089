#include "jaegerimporter.h"

#include "importcontext.h"
#include "jsonelements.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QHash>

namespace spanscope {

using namespace vendor;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JaegerImporter", text);
}

// A Jaeger tag {key, type, value} (also a log field) as an attribute of the type it declares.
Attribute tagAttribute(const Json &tag)
{
    Attribute a;
    a.key = memberText(tag, "key");
    const Json *value = member(tag, "value");
    if (!value)
        return a;
    const QString type = memberText(tag, "type").toLower();
    if (type == u"string") {
        a.value = text(*value);
    } else if (type == u"bool") {
        if (const auto b = toBool(value))
            a.value = *b;
    } else if (type == u"int64") {
        if (const auto i = toInt(value))
            a.value = *i;
    } else if (type == u"float64") {
        if (const auto d = toDouble(value))
            a.value = *d;
    } else if (type == u"binary") {
        auto decoded = QByteArray::fromBase64Encoding(text(*value).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            a.value = QByteArray(decoded.decoded);
    }
    if (!a.value.isValid())
        a.value = toAttributeValue(*value);   // no type, or a value that does not fit it
    return a;
}

struct Process {
    QString serviceName;
    Attributes tags;
};

int otelKindFromTag(const QString &kind)
{
    const QString k = kind.toLower();
    if (k == u"internal")
        return 1;
    if (k == u"server")
        return 2;
    if (k == u"client")
        return 3;
    if (k == u"producer")
        return 4;
    if (k == u"consumer")
        return 5;
    return 0;
}

class JaegerSink : public ElementSink
{
public:
    explicit JaegerSink(ImportContext &ctx) : m_ctx(ctx) {}

    void element(const std::string &, Json &&value, const ElementPosition &position) override
    {
        if (member(value, "spans"))
            trace(value, position);
        else if (member(value, "spanID"))
            trace(Json{{"spans", Json::array({std::move(value)})}}, position);
        else
            m_ctx.skipSpan(position.offset, position.line, tr("an element that is not a Jaeger trace (no \"spans\"); skipped"));
    }

    void rootObject(Json &&object, const ElementPosition &position) override
    {
        if (const Json *errors = member(object, "errors"); errors && errors->is_array()) {
            for (const Json &e : *errors) {
                const QString message = e.is_object() ? memberText(e, "msg") + QLatin1Char(' ') + memberText(e, "traceID") : text(e);
                m_ctx.warning(position.offset, position.line, tr("the Jaeger query reported an error: %1").arg(message.trimmed()));
            }
        }
        if (member(object, "spans"))
            trace(object, position);
    }

private:
    void trace(const Json &trace, const ElementPosition &position)
    {
        QHash<QString, Process> processes;
        if (const Json *ps = member(trace, "processes"); ps && ps->is_object()) {
            for (auto it = ps->begin(); it != ps->end(); ++it)
                processes.insert(toQString(it.key()), process(it.value()));
        }
        if (const Json *warnings = member(trace, "warnings"); warnings && warnings->is_array()) {
            for (const Json &w : *warnings)
                m_ctx.warning(position.offset, position.line, tr("Jaeger warning for trace %1: %2").arg(memberText(trace, "traceID"), text(w)));
        }
        const Json *spans = member(trace, "spans");
        if (!spans || !spans->is_array()) {
            m_ctx.skipSpan(position.offset, position.line, tr("trace %1: \"spans\" is not an array; skipped").arg(memberText(trace, "traceID")));
            return;
        }
        qsizetype index = 0;
        for (const Json &s : *spans) {
            if (m_ctx.isCancelled())
                return;
            span(s, processes, position, index++);
        }
    }

    static Process process(const Json &p)
    {
        Process out;
        out.serviceName = memberText(p, "serviceName");
        if (const Json *tags = member(p, "tags"); tags && tags->is_array()) {
            for (const Json &t : *tags) {
                Attribute a = tagAttribute(t);
                if (!a.key.isEmpty())
                    out.tags.push_back(std::move(a));
            }
        }
        return out;
    }

    void span(const Json &s, const QHash<QString, Process> &processes, const ElementPosition &position, qsizetype index)
    {
        const QString where = tr("span %1 of the trace").arg(index);
        if (!s.is_object()) {
            m_ctx.skipSpan(position.offset, position.line, tr("%1 is not an object; skipped").arg(where));
            return;
        }
        Span span;
        span.traceId = normalizeId(memberText(s, "traceID"), true);
        span.spanId = normalizeId(memberText(s, "spanID"), false);
        span.name = memberText(s, "operationName");
        if (span.traceId.isEmpty() || span.spanId.isEmpty()) {
            m_ctx.skipSpan(position.offset, position.line,
                           tr("%1 (\"%2\") has no %3; skipped").arg(where, span.name,
                                                                    span.traceId.isEmpty() ? QStringLiteral("traceID") : QStringLiteral("spanID")));
            return;
        }

        const std::optional<qint64> startUs = toInt(member(s, "startTime"));
        const std::optional<qint64> start = startUs ? timestamps::scaled(*startUs, 1000) : std::nullopt;
        if (!start)
            m_ctx.warning(position.offset, position.line, tr("%1 (\"%2\"): no valid startTime (microseconds)").arg(where, span.name));
        span.startNs = start.value_or(0);
        if (const auto durationUs = toInt(member(s, "duration")); durationUs && start) {
            if (const auto d = timestamps::scaled(*durationUs, 1000))
                span.endNs = span.startNs + *d;
        }

        // The parent: the first CHILD_OF reference within the trace, else the first FOLLOWS_FROM
        // one. Every other reference is a link (as OpenTelemetry's Jaeger translator does).
        struct Ref {
            QString type, traceId, spanId;
        };
        QList<Ref> refs;
        if (const Json *rs = member(s, "references"); rs && rs->is_array()) {
            for (const Json &r : *rs) {
                Ref ref{memberText(r, "refType").toUpper(), normalizeId(memberText(r, "traceID"), true),
                        normalizeId(memberText(r, "spanID"), false)};
                if (ref.type.isEmpty())
                    ref.type = QStringLiteral("CHILD_OF");
                if (ref.traceId.isEmpty())
                    ref.traceId = span.traceId;
                if (!ref.spanId.isEmpty())
                    refs.push_back(ref);
            }
        }
        qsizetype parentRef = -1;
        for (const QString &type : {QStringLiteral("CHILD_OF"), QStringLiteral("FOLLOWS_FROM")}) {
            for (qsizetype i = 0; i < refs.size() && parentRef < 0; ++i) {
                if (refs[i].type == type && refs[i].traceId == span.traceId && refs[i].spanId != span.spanId)
                    parentRef = i;
            }
        }
        if (parentRef >= 0) {
            span.parentSpanId = refs[parentRef].spanId;
        } else if (const QString legacy = normalizeId(memberText(s, "parentSpanID"), false);
                   !legacy.isEmpty() && legacy != QLatin1String("0000000000000000") && legacy != span.spanId) {
            span.parentSpanId = legacy;
        }
        for (qsizetype i = 0; i < refs.size(); ++i) {
            if (i == parentRef)
                continue;
            SpanLink link;
            link.traceId = refs[i].traceId;
            link.spanId = refs[i].spanId;
            link.attributes.push_back({QStringLiteral("opentracing.ref_type"), refs[i].type.toLower()});
            span.links.push_back(std::move(link));
        }

        if (const Json *tags = member(s, "tags"); tags && tags->is_array()) {
            for (const Json &t : *tags) {
                Attribute a = tagAttribute(t);
                if (a.key.isEmpty())
                    continue;
                if (a.key == u"span.kind")
                    span.otelKind = otelKindFromTag(attributeValueToString(a.value));
                else if (a.key == u"error" && (a.value == QVariant(true) || attributeValueToString(a.value) == u"true"))
                    span.status = StatusCode::Error;
                else if (a.key == u"otel.status_code")
                    span.status = statusFromName(attributeValueToString(a.value));
                else if (a.key == u"otel.status_description")
                    span.statusMessage = attributeValueToString(a.value);
                span.attributes.push_back(std::move(a));
            }
        }
        if (const Json *logs = member(s, "logs"); logs && logs->is_array()) {
            for (const Json &log : *logs) {
                SpanEvent e;
                if (const auto us = toInt(member(log, "timestamp")))
                    e.timeNs = timestamps::scaled(*us, 1000).value_or(0);
                if (const Json *fields = member(log, "fields"); fields && fields->is_array()) {
                    for (const Json &f : *fields) {
                        Attribute a = tagAttribute(f);
                        if (a.key == u"event" && e.name.isEmpty() && a.value.typeId() == QMetaType::QString)
                            e.name = a.value.toString();
                        else if (!a.key.isEmpty())
                            e.attributes.push_back(std::move(a));
                    }
                }
                if (e.name.isEmpty())
                    e.name = QStringLiteral("log");
                span.events.push_back(std::move(e));
            }
        }
        AttributeBuilder b(span.attributes);
        if (const Json *warnings = member(s, "warnings"); warnings && warnings->is_array() && !warnings->empty()) {
            QVariantList list;
            for (const Json &w : *warnings)
                list << text(w);
            b.set(QStringLiteral("jaeger.warnings"), list);
        }
        if (const auto flags = toInt(member(s, "flags")); flags && *flags != 0)
            b.set(QStringLiteral("jaeger.flags"), *flags);

        const Json *inlineProcess = member(s, "process");
        const Process p = inlineProcess ? process(*inlineProcess) : processes.value(memberText(s, "processID"));
        setService(span, p.serviceName);
        span.resourceAttributes += p.tags;
        m_ctx.emitSpan(std::move(span));
    }

    ImportContext &m_ctx;
};

} // namespace

QString JaegerImporter::name() const
{
    return QStringLiteral("jaeger");
}

int JaegerImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonProbe &p = JsonProbe::of(head, complete);
    if (p.kind == JsonProbe::Kind::Object) {
        if (p.hasAny({"data[].spans", "data[].traceID"}) && p.hasAny({"data[].spans[].spanID", "data[].processes", "data[].traceID"}))
            return 95;
        if (p.has("traceID") && p.has("spans"))
            return 95;
        if (p.has("spans[].spanID") && p.hasAny({"processes", "spans[].operationName"}))
            return 90;
        if (p.has("spanID") && p.has("operationName"))
            return 85;
        // An empty query result.
        if (p.has("data") && p.countOf({"total", "limit", "offset", "errors"}) >= 3)
            return 60;
        return 0;
    }
    if (p.kind == JsonProbe::Kind::Array) {
        if (p.has("[].traceID") && p.has("[].spans"))
            return 90;
        if (p.has("[].spanID") && p.has("[].operationName"))
            return 85;
    }
    return 0;
}

void JaegerImporter::import(ImportContext &ctx) const
{
    JaegerSink sink(ctx);
    readJsonElements(ctx, sink, ElementReaderOptions{{"data"}});
}

} // namespace spanscope
