#pragma once

// Shared by the vendor-format tests: import + normalise, and the text dump of traces the
// expectations are written in.

#include "testhelpers.h"

#include "semconv/semconv.h"
#include "trace/trace.h"

#include <QHash>
#include <QLocale>

namespace spanscope::test {

struct Imported {
    ImportResult result;
    SpanList spans;   // normalised, in the order the importer handed them over
};

inline Imported importNormalized(const QString &path, const ImportOptions &options = {})
{
    Imported out;
    Collected c;
    out.result = importFile(path, c.sink(), options);
    out.spans = std::move(c.spans);
    for (Span &s : out.spans)
        semconv::normalize(s);
    return out;
}

inline Imported importNormalizedBytes(const QByteArray &data, const QString &name, const ImportOptions &options = {})
{
    Imported out;
    Collected c;
    out.result = importBytes(data, name, c.sink(), options);
    out.spans = std::move(c.spans);
    for (Span &s : out.spans)
        semconv::normalize(s);
    return out;
}

// One line per span: indentation by depth, "name [kind]", then the model, "IN/OUT tok", a
// known cost with its source, and "ERROR message" for error spans. Traces in first-seen order,
// each introduced by "trace <id>".
inline QStringList dumpTraces(const SpanList &spans)
{
    QStringList order;
    QHash<QString, SpanList> byTrace;
    for (const Span &s : spans) {
        if (!byTrace.contains(s.traceId))
            order << s.traceId;
        byTrace[s.traceId] << s;
    }
    QStringList out;
    for (const QString &id : std::as_const(order)) {
        out << QStringLiteral("trace ") + id;
        const Trace trace(byTrace.value(id));
        for (int i = 0; i < trace.size(); ++i) {
            const Span &s = trace.span(i);
            QString line = QString(trace.depth(i) * 2, QLatin1Char(' ')) + s.name + QStringLiteral(" [") + spanKindName(s.kind) + QLatin1Char(']');
            if (!s.model().isEmpty())
                line += QLatin1Char(' ') + s.model();
            if (!s.tokens.isEmpty())
                line += QStringLiteral(" %1/%2 tok").arg(s.tokens.input).arg(s.tokens.output);
            if (s.cost.isKnown())
                line += QStringLiteral(" $%1 %2").arg(QString::number(s.cost.totalUsd, 'g', 6), costSourceName(s.cost.source));
            if (s.isError())
                line += QStringLiteral(" ERROR ") + s.statusMessage;
            out << line.trimmed().prepend(QString(trace.depth(i) * 2, QLatin1Char(' ')));
        }
    }
    return out;
}

inline const Span *spanById(const SpanList &spans, const QString &id)
{
    for (const Span &s : spans) {
        if (s.spanId == id)
            return &s;
    }
    return nullptr;
}

inline bool anyTextContains(const Span &s, const QString &needle)
{
    auto inAttributes = [&](const Attributes &attributes) {
        for (const Attribute &a : attributes) {
            if (attributeValueToString(a.value).contains(needle))
                return true;
        }
        return false;
    };
    if (inAttributes(s.attributes) || inAttributes(s.resourceAttributes))
        return true;
    for (const SpanEvent &e : s.events) {
        if (inAttributes(e.attributes))
            return true;
    }
    return s.input.value.contains(needle) || s.output.value.contains(needle) || s.statusMessage.contains(needle);
}

} // namespace spanscope::test
