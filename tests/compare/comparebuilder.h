#pragma once

#include "trace/trace.h"

// Hand-built traces for the compare tests: a compact way to write a span tree.
namespace comparebuilder {

using namespace spanscope;

inline constexpr qint64 kMs = 1'000'000;
inline constexpr qint64 kBase = 1'700'000'000'000'000'000;

inline Span span(const QString &id, const QString &parent, const QString &name, SpanKind kind, qint64 startMs, qint64 endMs)
{
    Span s;
    s.traceId = QStringLiteral("t");
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name;
    s.kind = kind;
    s.startNs = kBase + startMs * kMs;
    s.endNs = kBase + endMs * kMs;
    s.status = StatusCode::Ok;
    return s;
}

inline Span llm(const QString &id, const QString &parent, const QString &name, qint64 startMs, qint64 endMs,
                const QString &model, qint64 in = 100, qint64 out = 10, double cost = 0.001)
{
    Span s = span(id, parent, name, SpanKind::Llm, startMs, endMs);
    s.requestModel = model;
    s.responseModel = model;
    s.tokens.input = in;
    s.tokens.output = out;
    s.cost.totalUsd = cost;
    s.cost.source = CostSource::Computed;
    return s;
}

inline Span tool(const QString &id, const QString &parent, const QString &name, qint64 startMs, qint64 endMs)
{
    Span s = span(id, parent, name, SpanKind::Tool, startMs, endMs);
    s.toolName = name;
    return s;
}

} // namespace comparebuilder
