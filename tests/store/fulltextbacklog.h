#pragma once
// A workspace whose spans wait for the full-text index, as an import cancelled while indexing (or
// an app closed then) leaves it: for the tests of whoever should index them later.
#include "store/tracestore.h"

#include <QString>

namespace spanscope::test {

// Writes `count` spans (10 per trace) whose inputs contain `word` into the workspace at `path` in
// bulk mode, which leaves their indexing to the caller. Returns the workspace's pending full-text
// count afterwards (`count` when all went well), or -1 when the workspace could not be written.
inline qint64 writeUnindexedSpans(const QString &path, int count, const QString &word)
{
    TraceStore store;
    if (!store.open(path))
        return -1;
    SpanList spans;
    spans.reserve(count);
    for (int i = 0; i < count; ++i) {
        Span &s = spans.emplace_back();
        s.traceId = QStringLiteral("%1").arg(i / 10 + 1, 32, 16, QLatin1Char('0'));
        s.spanId = QStringLiteral("%1").arg(i + 1, 16, 16, QLatin1Char('0'));
        s.name = QStringLiteral("step %1").arg(i);
        s.startNs = 1000 + i;
        s.endNs = 2000 + i;
        s.input = {QStringLiteral("a question about %1, number %2").arg(word).arg(i), QStringLiteral("text/plain")};
    }
    if (!store.beginBulk() || !store.writeSpans(spans) || !store.endBulk())
        return -1;
    return store.counts().pendingFullText;
}

} // namespace spanscope::test
