#include "clijson.h"
#include "compare/spandiff.h"

#include <QJsonArray>
#include <QTimeZone>

#include <cmath>

namespace spanscope::cli {

namespace {

QJsonValue tokens(qint64 n)
{
    return n >= 0 ? QJsonValue(n) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonArray messagesToJson(const Messages &messages, const QString &direction)
{
    QJsonArray out;
    for (const Message &m : messages) {
        QJsonArray calls;
        for (const ToolCall &c : m.toolCalls)
            calls.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name}, {QStringLiteral("arguments"), c.arguments}});
        QJsonObject o{{QStringLiteral("role"), m.role},
                      {QStringLiteral("content"), m.content},
                      {QStringLiteral("toolCalls"), calls},
                      {QStringLiteral("direction"), direction}};
        if (!m.toolCallId.isEmpty())
            o.insert(QStringLiteral("toolCallId"), m.toolCallId);
        if (!m.name.isEmpty())
            o.insert(QStringLiteral("name"), m.name);
        if (!m.finishReason.isEmpty())
            o.insert(QStringLiteral("finishReason"), m.finishReason);
        out.append(o);
    }
    return out;
}

} // namespace


QJsonObject tracesToJson(const QList<TraceSummary> &traces)
{
    QJsonArray list;
    for (const TraceSummary &t : traces) {
        list.append(QJsonObject{
            {QStringLiteral("traceId"), t.traceId},
            {QStringLiteral("name"), t.name},
            {QStringLiteral("startTimeUnixNano"), QString::number(t.startNs)},
            {QStringLiteral("durationNs"), t.durationNs()},
            {QStringLiteral("spanCount"), t.spanCount},
            {QStringLiteral("errorCount"), t.errorCount},
            {QStringLiteral("inputTokens"), t.inputTokens},
            {QStringLiteral("outputTokens"), t.outputTokens},
            {QStringLiteral("costUsd"), t.pricedSpanCount > 0 ? QJsonValue(t.costUsd) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("computedCostUsd"), t.computedCostUsd},
            {QStringLiteral("unpricedModels"), QJsonArray::fromStringList(t.unpricedModels)},
            {QStringLiteral("models"), QJsonArray::fromStringList(t.models)},
            {QStringLiteral("service"), textOrNull(t.serviceName)},
            {QStringLiteral("sessionId"), textOrNull(t.sessionId)},
            {QStringLiteral("userId"), textOrNull(t.userId)},
        });
    }
    return QJsonObject{{QStringLiteral("traces"), list}};
}

QJsonObject traceToJson(const Trace &trace)
{
    QJsonArray spans;
    for (int i = 0; i < trace.size(); ++i) {
        const Span &s = trace.span(i);
        QJsonObject attrs;
        for (const Attribute &a : s.attributes)
            attrs.insert(a.key, variantToJsonValue(a.value));
        QJsonArray messages = messagesToJson(s.inputMessages, QStringLiteral("input"));
        for (const QJsonValue &m : messagesToJson(s.outputMessages, QStringLiteral("output")))
            messages.append(m);
        QJsonObject params;
        for (auto it = s.parameters.cbegin(); it != s.parameters.cend(); ++it)
            params.insert(it.key(), variantToJsonValue(it.value()));
        spans.append(QJsonObject{
            {QStringLiteral("spanId"), s.spanId},
            {QStringLiteral("parentSpanId"), s.parentSpanId},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("kind"), spanKindName(s.kind)},
            {QStringLiteral("service"), s.serviceName},
            {QStringLiteral("startTimeUnixNano"), QString::number(s.startNs)},
            {QStringLiteral("durationNs"), s.hasEnded() ? QJsonValue(s.durationNs()) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("depth"), trace.depth(i)},
            {QStringLiteral("status"), statusName(s.status)},
            {QStringLiteral("statusMessage"), s.statusMessage},
            {QStringLiteral("model"), textOrNull(s.model())},
            {QStringLiteral("requestModel"), textOrNull(s.requestModel)},
            {QStringLiteral("provider"), textOrNull(s.provider)},
            {QStringLiteral("inputTokens"), tokens(s.tokens.input)},
            {QStringLiteral("outputTokens"), tokens(s.tokens.output)},
            {QStringLiteral("totalTokens"), tokens(s.tokens.effectiveTotal())},
            {QStringLiteral("cachedInputTokens"), tokens(s.tokens.cachedInput)},
            {QStringLiteral("reasoningTokens"), tokens(s.tokens.reasoning)},
            {QStringLiteral("costUsd"), s.cost.isKnown() ? QJsonValue(s.cost.totalUsd) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("costSource"), costSourceName(s.cost.source)},
            {QStringLiteral("input"), textOrNull(s.input.value)},
            {QStringLiteral("output"), textOrNull(s.output.value)},
            {QStringLiteral("messages"), messages},
            {QStringLiteral("parameters"), params},
            {QStringLiteral("sessionId"), textOrNull(s.sessionId)},
            {QStringLiteral("userId"), textOrNull(s.userId)},
            {QStringLiteral("attributes"), attrs},
        });
    }
    return QJsonObject{{QStringLiteral("traceId"), trace.traceId()}, {QStringLiteral("spans"), spans}};
}

QDateTime parseIsoTime(const QString &text)
{
    const QString t = text.trimmed();
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid()) {
        const QDate d = QDate::fromString(t, Qt::ISODate);
        if (d.isValid())
            dt = QDateTime(d, QTime(0, 0), Qt::UTC);
    } else if (dt.timeSpec() == Qt::LocalTime && !t.endsWith(QLatin1Char('Z'))) {
        // No offset given: read it as UTC so scripts behave the same on every machine.
        dt.setTimeSpec(Qt::UTC);
    }
    return dt;
}

} // namespace spanscope::cli
