#pragma once

#include "trace/trace.h"

// Hand-built traces for the layout tests. Times are given relative to an epoch-sized base so the
// code under test has to subtract the trace start.
namespace tracebuilder {

inline constexpr qint64 kBase = 1'700'000'000'000'000'000;
inline constexpr qint64 kUnfinished = -1;

inline spanscope::Span span(const QString &id, const QString &parent, qint64 start, qint64 end,
                            spanscope::SpanKind kind = spanscope::SpanKind::Span, bool error = false)
{
    spanscope::Span s;
    s.traceId = QStringLiteral("t");
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = id;
    s.kind = kind;
    s.startNs = kBase + start;
    s.endNs = end == kUnfinished ? 0 : kBase + end;
    s.status = error ? spanscope::StatusCode::Error : spanscope::StatusCode::Unset;
    return s;
}

// Names of the spans at the given tree indexes.
inline QStringList names(const spanscope::Trace &trace, const QList<int> &indexes)
{
    QStringList out;
    for (int i : indexes)
        out << trace.span(i).name;
    return out;
}

} // namespace tracebuilder
