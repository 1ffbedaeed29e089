// The OTLP/HTTP receiver driven by curl (a real client): the FORMATS.md §2 contract end to end,
// from request to committed spans in the workspace.
#include "live/liveservice.h"
#include "live/livewriter.h"
#include "livetesthelpers.h"
#include "../store/fulltextbacklog.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QByteArray protobufRequest(const QByteArray &traceId, int spans)
{
    using namespace opentelemetry::proto;
    collector::trace::v1::ExportTraceServiceRequest req;
    auto *rs = req.add_resource_spans();
    auto *kv = rs->mutable_resource()->add_attributes();
    kv->set_key("service.name");
    kv->mutable_value()->set_string_value("proto-service");
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("proto-test");
    for (int i = 0; i < spans; ++i) {
        auto *s = ss->add_spans();
        s->set_trace_id(traceId.toStdString());
        s->set_span_id(QByteArray(7, char(0x11)).append(char(i + 1)).toStdString());
        if (i > 0)
            s->set_parent_span_id(QByteArray(7, char(0x11)).append(char(1)).toStdString());
        s->set_name(i == 0 ? "proto.root" : "chat gpt-4o");
        s->set_start_time_unix_nano(1795600000000000000ULL + i * 1000000ULL);
        s->set_end_time_unix_nano(1795600000000000000ULL + i * 1000000ULL + 2000000ULL);
        if (i == 1) {
            auto add = [&](const char *k, const char *v) {
                auto *a = s->add_attributes();
                a->set_key(k);
                a->mutable_value()->set_string_value(v);
            };
            add("gen_ai.operation.name", "chat");
            add("gen_ai.request.model", "gpt-4o");
            auto *t = s->add_attributes();
            t->set_key("gen_ai.usage.input_tokens");
            t->mutable_value()->set_int_value(500);
        }
    }
    const std::string out = req.SerializeAsString();
    return QByteArray(out.data(), qsizetype(out.size()));
}

QStringList postArgs(const QString &url, const QString &contentType, const QString &file, const QStringList &extra = {})
{
    QStringList a{QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-H"), QStringLiteral("Content-Type: ") + contentType,
                  QStringLiteral("--data-binary"), QStringLiteral("@") + file};
    return a + extra + QStringList{url};
}

} // namespace

class TestOtlpReceiver : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<LiveService> m_service;
    QString m_db;
    int m_case = 0;

    QString url(const QString &path = QStringLiteral("/v1/traces")) const { return m_service->endpoint() + path; }

    QString writeTemp(const QByteArray &data)
    {
        const QString path = m_dir.filePath(QStringLiteral("body-%1.bin").arg(++m_case));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(data);
        return path;
    }

    void startService(LiveReceiverOptions options = {})
    {
        m_service.reset();
        m_db = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_case));
        m_service = std::make_unique<LiveService>(m_db);
        options.port = 0;
        QString error;
        QVERIFY2(m_service->startReceiver(options, &error), qPrintable(error));
        QVERIFY(m_service->endpoint().startsWith(QStringLiteral("http://127.0.0.1:")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveCurl())
            QSKIP("curl is not installed");
        QVERIFY(m_dir.isValid());
    }

    void init() { startService(); }
    void cleanup() { m_service.reset(); }

    // A full-text backlog left by an earlier bulk import (cancelled while indexing, say) is indexed
    // by the receiver's writer while no spans arrive.
    void idleWriterIndexesABacklog()
    {
        m_service.reset();
        m_db = m_dir.filePath(QStringLiteral("backlog-%1.sqlite").arg(++m_case));
        QCOMPARE(writeUnindexedSpans(m_db, 9000, QStringLiteral("flamingos")), 9000);
        m_service = std::make_unique<LiveService>(m_db);
        LiveReceiverOptions options;
        options.port = 0;
        QString error;
        QVERIFY2(m_service->startReceiver(options, &error), qPrintable(error));
        TraceStore store;
        QVERIFY(store.open(m_db, TraceStore::OpenMode::ReadOnly));
        QVERIFY(QTest::qWaitFor([&] { return store.counts().pendingFullText == 0; }, 15000));
        QCOMPARE(store.search(QStringLiteral("flamingos"), 10000).size(), 9000);
        // And the receiver still answers.
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"),
                                           writeTemp(otlpJson(hexId(QStringLiteral("after"), 16), 3))));
        QCOMPARE(r.status, 200);
    }

    // Spans written while more wait behind them may skip the full-text index in their own
    // transaction; once submissions stop, the writer indexes them all.
    void spansWrittenUnderLoadBecomeSearchable()
    {
        const QString db = m_dir.filePath(QStringLiteral("load-%1.sqlite").arg(++m_case));
        LiveWriter::Options o;
        o.workspacePath = db;
        o.maxSpansPerCommit = 1000;
        LiveWriter writer(o);
        QString error;
        QVERIFY2(writer.start(&error), qPrintable(error));
        constexpr int Batches = 40, PerBatch = 250;
        std::atomic<int> done{0}, failed{0};
        for (int b = 0; b < Batches; ++b) {
            SpanList spans;
            for (int i = 0; i < PerBatch; ++i) {
                Span &s = spans.emplace_back();
                s.traceId = hexId(QStringLiteral("load-%1").arg(b), 16);
                s.spanId = hexId(QStringLiteral("span-%1-%2").arg(b).arg(i), 8);
                s.name = QStringLiteral("step %1").arg(i);
                s.startNs = 1000 + i;
                s.endNs = 2000 + i;
                s.input = {QStringLiteral("pelicans in batch w%1x").arg(b), QStringLiteral("text/plain")};
            }
            QVERIFY(writer.submit(std::move(spans), [&](bool ok, const QString &) { ++(ok ? done : failed); }));
        }
        QVERIFY(QTest::qWaitFor([&] { return done + failed == Batches; }, 30000));
        QCOMPARE(failed.load(), 0);
        TraceStore store;
        QVERIFY(store.open(db, TraceStore::OpenMode::ReadOnly));
        QCOMPARE(store.counts().spans, Batches * PerBatch);
        QVERIFY(QTest::qWaitFor([&] { return store.counts().pendingFullText == 0; }, 15000));
        QCOMPARE(store.search(QStringLiteral("pelicans"), 100000).size(), Batches * PerBatch);
        QCOMPARE(store.search(QStringLiteral("w%1x").arg(Batches - 1), 1000).size(), PerBatch);
        writer.stop();
    }

    void jsonBodyIsCommittedBeforeTheAnswer()
    {
        const QString traceId = hexId(QStringLiteral("json"), 16);
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(traceId, 5))));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("{}"));
        QVERIFY(r.headers.contains("content-type: application/json"));
        // Answered 200 → already in the workspace, readable from another connection.
        TraceStore store;
        QVERIFY(store.open(m_db, TraceStore::OpenMode::ReadOnly));
        const SpanList spans = store.loadSpans(traceId, true);
        QCOMPARE(spans.size(), 5);
        const auto llm = std::find_if(spans.cbegin(), spans.cend(), [](const Span &s) { return s.kind == SpanKind::Llm; });
        QVERIFY(llm != spans.cend());
        QCOMPARE(llm->requestModel, QStringLiteral("gpt-4o-mini"));
        QVERIFY(llm->cost.isKnown());   // computed from the price table
        QCOMPARE(llm->serviceName, QStringLiteral("live-test"));
        // The Authorization header attribute was redacted before storing.
        const QString auth = attributeValue(llm->attributes, u"http.request.header.authorization").toString();
        QVERIFY2(!auth.contains(QStringLiteral("sk-test-secret")), qPrintable(auth));
        QVERIFY(auth.contains(QStringLiteral("[REDACTED]")));
    }

    void sampleFilesAreAccepted()
    {
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), dataPath(QStringLiteral("samples/otlp-trace.json"))));
        QCOMPARE(r.status, 200);
        r = curl(postArgs(url(), QStringLiteral("application/x-protobuf"), dataPath(QStringLiteral("samples/otlp-genai-sdk-generated.binpb"))));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 0);   // an empty ExportTraceServiceResponse
        QVERIFY(r.headers.contains("content-type: application/x-protobuf"));
        TraceStore store;
        QVERIFY(store.open(m_db, TraceStore::OpenMode::ReadOnly));
        QVERIFY(store.counts().traces >= 2);
    }

    void protobufBody()
    {
        const QByteArray traceId = QByteArray::fromHex("0af7651916cd43dd8448eb211c80319c");
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/x-protobuf"), writeTemp(protobufRequest(traceId, 3))));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 0);
        const SpanList spans = [&] {
            TraceStore store;
            store.open(m_db, TraceStore::OpenMode::ReadOnly);
            return store.loadSpans(QStringLiteral("0af7651916cd43dd8448eb211c80319c"), false);
        }();
        QCOMPARE(spans.size(), 3);
        QCOMPARE(spans.at(0).serviceName, QStringLiteral("proto-service"));
    }

    void gzipBodies()
    {
        const QString jsonTrace = hexId(QStringLiteral("gzip-json"), 16);
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(gzip(otlpJson(jsonTrace, 4))),
                                     {QStringLiteral("-H"), QStringLiteral("Content-Encoding: gzip")}));
        QCOMPARE(r.status, 200);
        QCOMPARE(countSpans(m_db, jsonTrace), 4);
        const QByteArray protoTrace = QByteArray::fromHex("11111111111111112222222222222222");
        r = curl(postArgs(url(), QStringLiteral("application/x-protobuf"), writeTemp(gzip(protobufRequest(protoTrace, 2))),
                          {QStringLiteral("-H"), QStringLiteral("Content-Encoding: gzip")}));
        QCOMPARE(r.status, 200);
        QCOMPARE(countSpans(m_db, QString::fromLatin1(protoTrace.toHex())), 2);
    }

    void malformedBodiesAre400()
    {
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp("{\"resourceSpans\": [ {broken")));
        QCOMPARE(r.status, 400);
        const QJsonObject status = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(status.value(QStringLiteral("code")).toInt(), 3);
        QVERIFY(!status.value(QStringLiteral("message")).toString().isEmpty());

        r = curl(postArgs(url(), QStringLiteral("application/x-protobuf"), writeTemp(QByteArray("\x0a\xff\xff\xff\x0f garbage", 14))));
        QCOMPARE(r.status, 400);
        QVERIFY(r.headers.contains("content-type: application/x-protobuf"));
        QVERIFY(r.body.startsWith(QByteArray("\x08\x03", 2)));   // google.rpc.Status{code: 3, …}

        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(QByteArray("not gzip at all")),
                          {QStringLiteral("-H"), QStringLiteral("Content-Encoding: gzip")}));
        QVERIFY2(r.status == 400 || r.status == 200, QByteArray::number(r.status));   // lenient: plain body read as is
    }

    void expectContinueIsAnswered()
    {
        // curl sends "Expect: 100-continue" for bodies over 1 MiB and waits a second for the go-ahead.
        QByteArray body = otlpJson(hexId(QStringLiteral("expect"), 16), 1);
        body.insert(body.size() - 3, QByteArray(",\"pad\":\"") + QByteArray(2 << 20, 'x') + "\"");
        // The interim answer shows in curl's header dump; curl would otherwise send the body after
        // its --expect100-timeout without one (set long, so only a real answer gets it going).
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(body),
                                           {QStringLiteral("-H"), QStringLiteral("Expect: 100-continue"),
                                            QStringLiteral("--expect100-timeout"), QStringLiteral("20")}),
                                  {}, 30000, false);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.headers.contains("http/1.1 100 continue"), r.headers.constData());
    }

    void partialSuccessReportsRejectedSpans()
    {
        QByteArray body = otlpJson(hexId(QStringLiteral("partial"), 16), 3);
        // Blank out one span's id: dropped, counted as rejected.
        const QString secondId = hexId(hexId(QStringLiteral("partial"), 16) + QStringLiteral("/2"), 8);
        body.replace(secondId.toLatin1(), QByteArray());
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(body)));
        QCOMPARE(r.status, 200);
        const QJsonObject partial = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("partialSuccess")).toObject();
        QCOMPARE(partial.value(QStringLiteral("rejectedSpans")).toString(), QStringLiteral("1"));
        QVERIFY(!partial.value(QStringLiteral("errorMessage")).toString().isEmpty());
    }

    void wrongContentTypeMethodAndPath()
    {
        CurlResult r = curl(postArgs(url(), QStringLiteral("text/plain"), writeTemp(otlpJson(hexId(QStringLiteral("ct"), 16), 1))));
        QCOMPARE(r.status, 415);
        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(hexId(QStringLiteral("br"), 16), 1)),
                          {QStringLiteral("-H"), QStringLiteral("Content-Encoding: br")}));
        QCOMPARE(r.status, 415);
        r = curl({url()});   // GET
        QCOMPARE(r.status, 405);
        QVERIFY(r.headers.contains("allow: post"));
        r = curl({QStringLiteral("-X"), QStringLiteral("PUT"), QStringLiteral("--data"), QStringLiteral("{}"), url()});
        QCOMPARE(r.status, 405);
        r = curl(postArgs(url(QStringLiteral("/v1/metrics")), QStringLiteral("application/json"), writeTemp("{}")));
        QCOMPARE(r.status, 404);
    }

    void oversizeBodiesAre413()
    {
        LiveReceiverOptions o;
        o.maxBodyBytes = 1 << 20;
        startService(o);
        // A gzip body that inflates beyond the cap.
        QByteArray big = otlpJson(hexId(QStringLiteral("big"), 16), 1);
        big.insert(big.size() - 3, QByteArray(",\"pad\":\"") + QByteArray(3 << 20, 'x') + "\"");
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(gzip(big)),
                                     {QStringLiteral("-H"), QStringLiteral("Content-Encoding: gzip")}));
        QCOMPARE(r.status, 413);
        // A raw body over the cap, caught by the handler…
        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(QByteArray((1 << 20) + 4096, ' '))));
        QCOMPARE(r.status, 413);
        // …and one far over it, refused while it streams in (Qt would buffer it all otherwise).
        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(QByteArray(8 << 20, ' '))));
        QCOMPARE(r.status, 413);
        // The receiver is still fine afterwards.
        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(hexId(QStringLiteral("after"), 16), 1))));
        QCOMPARE(r.status, 200);
    }

    void overloadAnswersRetryAfter()
    {
        LiveReceiverOptions o;
        o.maxInflightRequests = 0;   // every request is one too many
        startService(o);
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(hexId(QStringLiteral("o1"), 16), 1))));
        QCOMPARE(r.status, 429);
        QVERIFY(r.headers.contains("retry-after: 1"));
        o.maxInflightRequests = 10;
        o.maxPendingSpans = -1;      // the writer always counts as behind
        startService(o);
        r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(hexId(QStringLiteral("o2"), 16), 1))));
        QCOMPARE(r.status, 503);
        QVERIFY(r.headers.contains("retry-after: 1"));
    }

    void bearerToken()
    {
        LiveReceiverOptions o;
        o.bindAddress = QHostAddress(QStringLiteral("0.0.0.0"));
        {
            LiveService s(m_dir.filePath(QStringLiteral("remote.sqlite")));
            QString error;
            QVERIFY(!s.startReceiver(o, &error));   // beyond loopback needs the explicit setting
            QVERIFY(error.contains(QStringLiteral("explicitly")));
            o.allowNonLoopback = true;
            QVERIFY(!s.startReceiver(o, &error));   // … and a token
            QVERIFY(error.contains(QStringLiteral("token")));
        }
        LiveReceiverOptions t;
        t.bearerToken = QStringLiteral("s3cret");
        startService(t);
        const QString body = writeTemp(otlpJson(hexId(QStringLiteral("tok"), 16), 1));
        CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), body));
        QCOMPARE(r.status, 401);
        QVERIFY(r.headers.contains("www-authenticate: bearer"));
        r = curl(postArgs(url(), QStringLiteral("application/json"), body, {QStringLiteral("-H"), QStringLiteral("Authorization: Bearer wrong")}));
        QCOMPARE(r.status, 401);
        r = curl(postArgs(url(), QStringLiteral("application/json"), body, {QStringLiteral("-H"), QStringLiteral("Authorization: Bearer s3cret")}));
        QCOMPARE(r.status, 200);
    }

    void portkeyLogPluginPosts()
    {
        const QList<QByteArray> lines = readFile(dataPath(QStringLiteral("samples/portkey-gateway/hook-posts.jsonl"))).split('\n');
        int posted = 0;
        for (const QByteArray &line : lines) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonObject captured = QJsonDocument::fromJson(line).object();
            const QByteArray body = QJsonDocument(captured.value(QStringLiteral("body")).toObject()).toJson(QJsonDocument::Compact);
            const CurlResult r = curl(postArgs(url(QStringLiteral("/v1/portkey/log")), QStringLiteral("application/json"), writeTemp(body)));
            QCOMPARE(r.status, 200);
            ++posted;
        }
        QCOMPARE(posted, 3);
        TraceStore store;
        QVERIFY(store.open(m_db, TraceStore::OpenMode::ReadOnly));
        const SpanList spans = store.loadSpans(QStringLiteral("trace-hook-003"), true);
        QCOMPARE(spans.size(), 1);
        const Span &s = spans.first();
        QCOMPARE(s.spanId, QStringLiteral("span-b"));
        QCOMPARE(s.parentSpanId, QStringLiteral("span-a"));
        QCOMPARE(s.name, QStringLiteral("summarize"));
        QCOMPARE(s.kind, SpanKind::Llm);
        QCOMPARE(s.tokens.input, 12);
        QCOMPARE(s.tokens.output, 7);
        QVERIFY(s.cost.isKnown());
        QVERIFY(s.startNs > 0);
        // Nothing secret was stored: not the bearer token, not the config's api_key.
        for (const Attribute &a : s.attributes) {
            const QString v = attributeValueToString(a.value);
            QVERIFY2(!v.contains(QStringLiteral("sk-mock")), qPrintable(a.key + QStringLiteral(" = ") + v));
        }
        const SpanList first = store.loadSpans(QStringLiteral("trace-hook-001"), true);
        QCOMPARE(first.size(), 1);
        QCOMPARE(first.first().userId, QStringLiteral("alice"));
    }

    void connectionLimitAndTimeouts()
    {
        LiveReceiverOptions o;
        o.maxConnections = 2;
        o.idleTimeoutMs = 400;
        o.requestTimeoutMs = 400;
        startService(o);
        const quint16 port = m_service->port();
        QTcpSocket a, b, c;
        for (QTcpSocket *s : {&a, &b, &c})
            s->connectToHost(QHostAddress::LocalHost, port);
        for (QTcpSocket *s : {&a, &b, &c})
            QVERIFY(s->waitForConnected(3000));   // the third waits in the kernel's backlog
        // The idle ones are closed by the server after the idle timeout…
        QVERIFY(a.waitForDisconnected(5000) || a.state() == QAbstractSocket::UnconnectedState);
        QVERIFY(b.state() == QAbstractSocket::UnconnectedState || b.waitForDisconnected(5000));
        // …and a slow client (headers never finished) after the request deadline.
        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(slow.waitForConnected(3000));
        QElapsedTimer t;
        t.start();
        slow.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        while (t.elapsed() < 5000 && slow.state() == QAbstractSocket::ConnectedState) {
            slow.write("X-Pad: 1\r\n");   // a header now and then keeps it from being idle, not from the deadline
            slow.waitForBytesWritten(100);
            slow.waitForDisconnected(100);
        }
        QCOMPARE(slow.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(t.elapsed() < 4000);
        // After all that, a normal request still works.
        const CurlResult r = curl(postArgs(url(), QStringLiteral("application/json"), writeTemp(otlpJson(hexId(QStringLiteral("lim"), 16), 1))));
        QCOMPARE(r.status, 200);
    }

    void concurrentClientsAllCommitted()
    {
        // Many requests at once from several connections: every 200 is in the workspace.
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        QStringList ids;
        for (int i = 0; i < 60; ++i) {
            const QString id = hexId(QStringLiteral("conc-%1").arg(i), 16);
            ids << id;
            QNetworkRequest req{QUrl(url())};
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            replies << nam.post(req, otlpJson(id, 20));
        }
        QVERIFY(QTest::qWaitFor([&] { return std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }); }, 30000));
        for (QNetworkReply *r : std::as_const(replies))
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        for (const QString &id : std::as_const(ids))
            QCOMPARE(countSpans(m_db, id), 20);
        // The throttled activity reached this thread with the totals.
        QVERIFY(QTest::qWaitFor([&] { return m_service->currentTotals().totalSpans >= 1200; }, 3000));
        qDeleteAll(replies);
    }
};

QTEST_GUILESS_MAIN(TestOtlpReceiver)
#include "tst_otlpreceiver.moc"
