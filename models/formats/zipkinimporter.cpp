#include "zipkinimporter.h"

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
    return QCoreApplication::translate("ZipkinImporter", text);
}

std::optional<qint64> micros(const Json *value)
{
    const std::optional<qint64> us = toInt(value);
    return us ? timestamps::scaled(*us, 1000) : std::nullopt;
}

int otelKind(const QString &kind)
{
    const QString k = kind.toUpper();
    if (k == u"SERVER")
        return 2;
    if (k == u"CLIENT")
        return 3;
    if (k == u"PRODUCER")
        return 4;
    if (k == u"CONSUMER")
        return 5;
    return 0;
}

void endpoint(AttributeBuilder &b, const QString &prefix, const Json *e)
{
    if (!e || !e->is_object())
        return;
    for (auto it = e->begin(); it != e->end(); ++it) {
        if (!it.value().is_null())
            b.set(prefix + toQString(it.key()), toAttributeValue(it.value()));
    }
}

class ZipkinSink : public ElementSink
{
public:
    explicit ZipkinSink(ImportContext &ctx) : m_ctx(ctx) {}

    void element(const std::string &, Json &&value, const ElementPosition &position) override
    {
        if (value.is_array()) {
            // /api/v2/traces: one array per trace.
            for (const Json &s : value)
                span(s, position);
        } else {
            span(value, position);
        }
    }

    void rootObject(Json &&object, const ElementPosition &position) override
    {
        span(object, position);
    }

    // Separates the halves of shared spans, then hands everything over.
    void finish()
    {
        QHash<QString, QList<qsizetype>> byId;
        for (qsizetype i = 0; i < m_spans.size(); ++i)
            byId[m_spans[i].traceId + QLatin1Char('/') + m_spans[i].spanId].push_back(i);
        for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
            const QList<qsizetype> &group = it.value();
            if (group.size() < 2)
                continue;
            qsizetype server = -1, client = -1;
            for (qsizetype i : group) {
                if (m_shared[i] && server < 0)
                    server = i;
                else if (!m_shared[i] && client < 0)
                    client = i;
            }
            if (server < 0 || client < 0)
                continue;
            Span &c = m_spans[client];
            const QString original = c.spanId;
            c.spanId = hashId((c.traceId + QLatin1Char('/') + original + QStringLiteral("/client")).toUtf8(), 16);
            c.attributes.push_back({QStringLiteral("zipkin.id"), original});
            m_spans[server].parentSpanId = c.spanId;
        }
        for (Span &s : m_spans)
            m_ctx.emitSpan(std::move(s));
        m_spans.clear();
    }

private:
    void span(const Json &s, const ElementPosition &position)
    {
        if (!s.is_object()) {
            m_ctx.skipSpan(position.offset, position.line, tr("an element that is not a Zipkin span object; skipped"));
            return;
        }
        Span span;
        span.traceId = normalizeId(memberText(s, "traceId"), true);
        span.spanId = normalizeId(memberText(s, "id"), false);
        span.name = memberText(s, "name");
        if (span.traceId.isEmpty() || span.spanId.isEmpty()) {
            m_ctx.skipSpan(position.offset, position.line,
                           tr("span \"%1\" has no %2; skipped").arg(span.name, span.traceId.isEmpty() ? QStringLiteral("traceId") : QStringLiteral("id")));
            return;
        }
        span.parentSpanId = normalizeId(memberText(s, "parentId"), false);
        if (span.parentSpanId == span.spanId)
            span.parentSpanId.clear();
        span.otelKind = otelKind(memberText(s, "kind"));
        const std::optional<qint64> start = micros(member(s, "timestamp"));
        if (start) {
            span.startNs = *start;
            if (const auto d = micros(member(s, "duration")))
                span.endNs = span.startNs + *d;
        } else {
            m_ctx.warning(position.offset, position.line, tr("span %1 (\"%2\") has no timestamp").arg(span.spanId, span.name));
        }

        AttributeBuilder b(span.attributes);
        if (const Json *tags = member(s, "tags"); tags && tags->is_object()) {
            for (auto it = tags->begin(); it != tags->end(); ++it) {
                const QString key = toQString(it.key());
                const QVariant value = toAttributeValue(it.value());
                if (key == u"error") {
                    span.status = StatusCode::Error;
                    const QString message = attributeValueToString(value);
                    if (message != u"true" && message != u"1")
                        span.statusMessage = message;
                }
                b.set(key, value);
            }
        }
        if (const Json *annotations = member(s, "annotations"); annotations && annotations->is_array()) {
            for (const Json &a : *annotations) {
                SpanEvent e;
                e.timeNs = micros(member(a, "timestamp")).value_or(0);
                e.name = memberText(a, "value");
                span.events.push_back(std::move(e));
            }
        }
        const Json *local = member(s, "localEndpoint");
        endpoint(b, QStringLiteral("zipkin.localEndpoint."), local);
        endpoint(b, QStringLiteral("zipkin.remoteEndpoint."), member(s, "remoteEndpoint"));
        b.rest(QStringLiteral("zipkin."), s,
               {"traceId", "id", "parentId", "name", "kind", "timestamp", "duration", "tags", "annotations", "localEndpoint",
                "remoteEndpoint"});
        if (local)
            setService(span, memberText(*local, "serviceName"));
        m_shared.push_back(toBool(member(s, "shared")).value_or(false));
        m_spans.push_back(std::move(span));
    }

    ImportContext &m_ctx;
    // Held until the end: the two halves of a shared span may be anywhere in the input.
    SpanList m_spans;
    QList<bool> m_shared;
};

} // namespace

QString ZipkinImporter::name() const
{
    return QStringLiteral("zipkin");
}

int ZipkinImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonProbe &p = JsonProbe::of(head, complete);
    if (p.kind != JsonProbe::Kind::Array)
        return 0;
    for (const std::string &prefix : {std::string("[]."), std::string("[][].")}) {
        if (!p.has(prefix + "traceId") || !p.has(prefix + "id"))
            continue;
        // Langfuse observations also have traceId and id, but start times, not timestamps.
        if (p.has(prefix + "startTime") || p.has(prefix + "type"))
            return 0;
        const int zipkinFields = p.has(prefix + "localEndpoint") + p.has(prefix + "remoteEndpoint") + p.has(prefix + "annotations")
            + p.has(prefix + "duration") + p.has(prefix + "timestamp") + p.has(prefix + "kind");
        return zipkinFields > 0 ? 90 : 70;
    }
    return 0;
}

void ZipkinImporter::import(ImportContext &ctx) const
{
    ZipkinSink sink(ctx);
    readJsonElements(ctx, sink, ElementReaderOptions{});
    if (!ctx.isCancelled())
        sink.finish();
}

} // namespace spanscope
