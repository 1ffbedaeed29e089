// Portkey gateway feeds → spans as the live ingest maps them (through the shared mappings in
// models/formats), on the recorded samples: trees, attempts, usage, cost, no secrets.
#include "ingest/importpipeline.h"
#include "live/portkeymapping.h"
#include "live/sseparser.h"
#include "trace/trace.h"
#include "pricing/pricetable.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spanscope;

namespace {
QList<QByteArray> logEvents(const QString &file)
{
    QFile f(QStringLiteral(SPANSCOPE_TEST_DATA "/samples/portkey-gateway/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing %s", qPrintable(file));
    SseParser p;
    QList<QByteArray> out;
    for (const SseEvent &e : p.feed(f.readAll() + "\n\n")) {
        if (e.event == "log")
            out << e.data;
    }
    return out;
}

bool anyAttributeContains(const SpanList &spans, const QString &needle)
{
    for (const Span &s : spans) {
        for (const Attribute &a : s.attributes) {
            if (attributeValueToString(a.value).contains(needle))
                return true;
        }
        if (s.input.value.contains(needle) || s.output.value.contains(needle))
            return true;
    }
    return false;
}
} // namespace

class TestPortkeyMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logStreamEvents()
    {
        const QList<QByteArray> events = logEvents(QStringLiteral("run2-log-stream-raw.sse"));
        QCOMPARE(events.size(), 4);
        const auto prices = PriceTable::builtin();
        const PortkeyLogMapper map = defaultPortkeyLogMapper();
        QList<SpanList> traces;
        for (const QByteArray &e : events) {
            QString error;
            SpanList spans = map(e, 1795574400000000000LL, &error);
            QVERIFY2(!spans.isEmpty(), qPrintable(error));
            enrichSpans(spans, *prices);
            const Trace tree(spans);
            SpanList ordered;
            for (int i = 0; i < tree.size(); ++i)
                ordered << tree.span(i);
            traces << ordered;
        }
        // Plain call: a root and one llm span with usage and a computed cost.
        QCOMPARE(traces[0].size(), 2);
        QVERIFY(traces[0][0].isRoot());
        const Span &llm = traces[0][1];
        QCOMPARE(llm.kind, SpanKind::Llm);
        QCOMPARE(llm.model(), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(llm.tokens.input, 12);
        QCOMPARE(llm.tokens.output, 7);
        QVERIFY(llm.cost.isKnown());
        QCOMPARE(llm.outputMessages.value(0).content, QStringLiteral("Hello from the mock server."));
        // Embeddings 404: error.
        QVERIFY(traces[2][0].isError() || traces[2][1].isError());
        // Fallback: two attempts in order, the first failed, the second answered.
        QCOMPARE(traces[3].size(), 3);
        QCOMPARE(traces[3][1].status, StatusCode::Error);
        QCOMPARE(traces[3][2].status, StatusCode::Ok);
        QCOMPARE(traces[3][2].tokens.input, 12);
        // API keys never make it into a span.
        for (const SpanList &t : std::as_const(traces))
            QVERIFY(!anyAttributeContains(t, QStringLiteral("sk-mock")));
        // The same event twice gives the same ids (idempotent upsert).
        QCOMPARE(map(events[0], 1, nullptr).at(0).traceId, map(events[0], 2, nullptr).at(0).traceId);
    }

    void notALogEvent()
    {
        QString error;
        const PortkeyLogMapper map = defaultPortkeyLogMapper();
        QVERIFY(map("pulse", 1, &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(map("{\"hello\":1}", 1, &error).isEmpty());
        QVERIFY(portkeyHookPostToSpans("[]", 1, &error).isEmpty());
        QVERIFY(portkeyHookPostToSpans("{broken", 1, &error).isEmpty());
    }

    void hookPosts()
    {
        QFile f(QStringLiteral(SPANSCOPE_TEST_DATA "/samples/portkey-gateway/hook-posts.jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        const QJsonObject third = QJsonDocument::fromJson(lines.at(2)).object().value(QStringLiteral("body")).toObject();
        const qint64 received = 1795574407039000000LL;
        QString error;
        SpanList spans = portkeyHookPostToSpans(QJsonDocument(third).toJson(), received, &error);
        QVERIFY2(spans.size() == 1, qPrintable(error));
        QCOMPARE(spans[0].traceId, QStringLiteral("trace-hook-003"));
        QCOMPARE(spans[0].spanId, QStringLiteral("span-b"));
        QCOMPARE(spans[0].parentSpanId, QStringLiteral("span-a"));
        QCOMPARE(spans[0].startNs, received);   // stamped on receipt
        QCOMPARE(spans[0].name, QStringLiteral("summarize"));
        QVERIFY(!anyAttributeContains(spans, QStringLiteral("sk-mock")));   // bearer token and config key redacted
        const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object().value(QStringLiteral("body")).toObject();
        const SpanList firstSpans = portkeyHookPostToSpans(QJsonDocument(first).toJson(), received);
        QCOMPARE(firstSpans.size(), 1);
        QVERIFY(!anyAttributeContains(firstSpans, QStringLiteral("sk-mock")));
    }
};

QTEST_GUILESS_MAIN(TestPortkeyMapping)
#include "tst_portkeymapping.moc"
