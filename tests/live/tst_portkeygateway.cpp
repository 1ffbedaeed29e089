// Against the real Portkey gateway (npm @portkey-ai/gateway, pinned in gateway/package.json, with
// the mock OpenAI provider from /work/shared/gateway): subscribe to /log/stream, send plain,
// streamed, failing and fallback requests plus one with the default.log plugin pushing to the
// receiver, and check the traces that arrive in the workspace; then kill the gateway and watch the
// subscriber reconnect. Skips only when node/npm are missing or the npm registry is unreachable.
#include "live/liveservice.h"
#include "livetesthelpers.h"
#include "trace/trace.h"

#include <QTemporaryDir>

#include <csignal>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QList<SpanList> allTraces(const QString &db)
{
    QList<SpanList> out;
    TraceStore store;
    if (!store.open(db, TraceStore::OpenMode::ReadOnly))
        return out;
    TraceQuery q;
    q.limit = 0;
    q.descending = false;
    for (const TraceSummary &t : store.listTraces(q)) {
        const Trace trace(store.loadSpans(t.traceId, true));   // tree order: root first, attempts in order
        SpanList ordered;
        for (int i = 0; i < trace.size(); ++i)
            ordered << trace.span(i);
        out << ordered;
    }
    return out;
}

int llmCount(const SpanList &spans)
{
    return int(std::count_if(spans.cbegin(), spans.cend(), [](const Span &s) { return s.kind == SpanKind::Llm; }));
}

} // namespace

class TestPortkeyGateway : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_cache;
    QProcess m_mock;
    QProcess m_gateway;
    quint16 m_mockPort = 0;
    quint16 m_gatewayPort = 0;
    QNetworkAccessManager m_nam;

    bool startGateway()
    {
        m_gateway.setWorkingDirectory(m_cache);
        m_gateway.setProcessChannelMode(QProcess::MergedChannels);
        m_gateway.start(QStringLiteral("node"), {QStringLiteral("-r"), QStringLiteral(SPANSCOPE_LIVE_TEST_DIR "/gateway/force-loopback.cjs"),
                                                 QStringLiteral("node_modules/@portkey-ai/gateway/build/start-server.js"),
                                                 QStringLiteral("--port=%1").arg(m_gatewayPort)});
        if (!m_gateway.waitForStarted(10000))
            return false;
        // It answers about a second after start.
        return waitFor([&] {
            QNetworkReply *r = m_nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_gatewayPort))));
            QEventLoop loop;
            connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(2000, &loop, &QEventLoop::quit);
            loop.exec();
            const bool up = r->isFinished() && r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() > 0;
            r->deleteLater();
            return up;
        }, 20000);
    }

    void stopGateway()
    {
        if (m_gateway.state() != QProcess::NotRunning) {
            m_gateway.kill();
            m_gateway.waitForFinished(5000);
        }
    }

    HttpResult chat(const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
    {
        return httpPost(m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_gatewayPort)), body, "application/json",
                        headers, 20000);
    }

    QByteArray mockHost(const char *path = "/v1") const { return "http://127.0.0.1:" + QByteArray::number(m_mockPort) + path; }

private Q_SLOTS:
    void initTestCase()
    {
        bool fatal = false;
        m_cache = npmCacheDir(QStringLiteral("gateway"));
        const QString why = ensureNpmPackages(QStringLiteral(SPANSCOPE_LIVE_TEST_DIR "/gateway"), m_cache, &fatal);
        if (fatal)
            QFAIL(qPrintable(why));
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        m_mockPort = freePort();
        m_gatewayPort = freePort();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MOCK_PORT"), QString::number(m_mockPort));
        m_mock.setProcessEnvironment(env);
        m_mock.setProcessChannelMode(QProcess::MergedChannels);
        m_mock.start(QStringLiteral("node"), {QStringLiteral(SPANSCOPE_LIVE_TEST_DIR "/gateway/mock-openai.js")});
        QVERIFY(m_mock.waitForStarted(10000));
        QVERIFY(waitFor([&] { return m_mock.readAll().contains("mock listening") || m_mock.state() != QProcess::Running; }, 10000));
        QVERIFY2(startGateway(), m_gateway.readAll());
    }

    void cleanupTestCase()
    {
        stopGateway();
        if (m_mock.state() != QProcess::NotRunning) {
            m_mock.kill();
            m_mock.waitForFinished(5000);
        }
    }

    void subscribeAndReceive()
    {
        const QString db = m_dir.filePath(QStringLiteral("gateway.sqlite"));
        LiveService service(db);
        LiveReceiverOptions ro;
        ro.port = 0;
        QString error;
        QVERIFY2(service.startReceiver(ro, &error), qPrintable(error));
        PortkeySubscriberOptions o;
        o.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_gatewayPort));
        o.initialBackoffMs = 200;
        o.maxBackoffMs = 1000;
        QVERIFY2(service.connectGateway(o, &error), qPrintable(error));
        QVERIFY(waitFor([&] { return service.gatewayState() == PortkeySubscriber::State::Connected; }, 10000));
        QTest::qWait(200);   // the feed has no replay: be subscribed before the first request

        const QByteArray plainBody = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}],\"temperature\":0.2}";
        const QList<QPair<QByteArray, QByteArray>> direct{{"x-portkey-provider", "openai"}, {"x-portkey-custom-host", mockHost()},
                                                         {"Authorization", "Bearer sk-mock-plain-secret"}};
        QCOMPARE(chat(plainBody, direct).status, 200);
        QCOMPARE(chat("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Stream please\"}]}",
                      direct).status, 200);
        const QList<QPair<QByteArray, QByteArray>> failing{{"x-portkey-provider", "openai"}, {"x-portkey-custom-host", mockHost("/fail")},
                                                          {"Authorization", "Bearer sk-mock-fail-secret"}};
        QCOMPARE(chat(plainBody, failing).status, 503);
        const QByteArray fallback = "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                                    "{\"provider\":\"openai\",\"api_key\":\"sk-mock-target-a\",\"custom_host\":\"" + mockHost("/fail") + "\"},"
                                    "{\"provider\":\"openai\",\"api_key\":\"sk-mock-target-b\",\"custom_host\":\"" + mockHost() + "\"}]}";
        QCOMPARE(chat(plainBody, {{"x-portkey-config", fallback}}).status, 200);
        // The default.log plugin pushing to the receiver, with span ids in headers.
        const QByteArray hooks = "{\"provider\":\"openai\",\"api_key\":\"sk-mock-hook\",\"custom_host\":\"" + mockHost()
            + "\",\"after_request_hooks\":[{\"id\":\"push-log\",\"type\":\"guardrail\",\"deny\":false,\"checks\":[{\"id\":\"default.log\",\"parameters\":{\"logURL\":\""
            + service.endpoint().toUtf8() + "/v1/portkey/log\"}}]}]}";
        QCOMPARE(chat(plainBody, {{"x-portkey-config", hooks}, {"x-portkey-trace-id", "hook-trace-1"}, {"x-portkey-span-id", "hook-span-2"},
                                  {"x-portkey-parent-span-id", "hook-span-1"}, {"x-portkey-span-name", "summarize"}})
                     .status,
                 200);

        // Five log events (one trace each) and the plugin's push (one more trace).
        QList<SpanList> traces;
        const bool arrived = waitFor([&] { traces = allTraces(db); return traces.size() >= 6; }, 15000);
        QVERIFY2(arrived, qPrintable(QStringLiteral("%1 traces; gateway %2").arg(traces.size()).arg(service.gatewayMessage())));

        int plain = 0, streamed = 0, failed = 0, fellBack = 0, hooked = 0;
        for (const SpanList &t : std::as_const(traces)) {
            for (const Span &s : t) {
                for (const Attribute &a : s.attributes)
                    QVERIFY2(!attributeValueToString(a.value).contains(QStringLiteral("sk-mock")), qPrintable(a.key));
                QVERIFY(!s.input.value.contains(QStringLiteral("sk-mock")));
            }
            if (t.first().traceId == QStringLiteral("hook-trace-1")) {
                ++hooked;
                QCOMPARE(t.size(), 1);
                QCOMPARE(t.first().name, QStringLiteral("summarize"));
                QCOMPARE(t.first().parentSpanId, QStringLiteral("hook-span-1"));
                QCOMPARE(t.first().tokens.input, 12);
                continue;
            }
            const Span &root = t.first();
            QVERIFY(root.isRoot());
            if (llmCount(t) == 2) {
                ++fellBack;
                QCOMPARE(t.at(1).status, StatusCode::Error);
                QCOMPARE(t.at(2).status, StatusCode::Ok);
                QVERIFY(t.at(2).cost.isKnown());
            } else if (root.isError()) {
                ++failed;
                QCOMPARE(t.at(1).status, StatusCode::Error);
            } else if (t.at(1).requestModel == QLatin1String("gpt-4o")) {
                ++streamed;   // the only gpt-4o request; the feed carries no usage for streams
                QCOMPARE(t.at(1).kind, SpanKind::Llm);
                QCOMPARE(t.at(1).status, StatusCode::Ok);
            } else {
                ++plain;   // the direct call and the one whose plugin also pushed
                QCOMPARE(t.at(1).kind, SpanKind::Llm);
                QCOMPARE(t.at(1).tokens.input, 12);
                QCOMPARE(t.at(1).tokens.output, 7);
                QVERIFY(t.at(1).cost.isKnown());
                QCOMPARE(t.at(1).outputMessages.value(0).content, QStringLiteral("Hello from the mock server."));
            }
        }
        QCOMPARE(plain, 2);
        QCOMPARE(streamed, 1);
        QCOMPARE(failed, 1);
        QCOMPARE(fellBack, 1);
        QCOMPARE(hooked, 1);

        // The gateway goes away: the subscriber says so and keeps trying; when it is back, so are we.
        stopGateway();
        QVERIFY(waitFor([&] { return service.gatewayState() == PortkeySubscriber::State::Reconnecting; }, 10000));
        QVERIFY(startGateway());
        QVERIFY(waitFor([&] { return service.gatewayState() == PortkeySubscriber::State::Connected; }, 15000));
        QTest::qWait(200);
        QCOMPARE(chat(plainBody, direct).status, 200);
        QVERIFY(waitFor([&] { return allTraces(db).size() >= 7; }, 10000));
    }

    void serveSubscribesHeadless()
    {
        // `spanscope serve --portkey-gateway URL` receives OTLP and the gateway feed together.
        const QString db = m_dir.filePath(QStringLiteral("serve.sqlite"));
        QProcess serve;
        serve.start(QStringLiteral(SPANSCOPE_BINARY), {QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--port"), QStringLiteral("0"),
                                                      QStringLiteral("--portkey-gateway"), QStringLiteral("http://127.0.0.1:%1").arg(m_gatewayPort)});
        QVERIFY(serve.waitForStarted(10000));
        QByteArray out;
        QVERIFY2(waitFor([&] { out += serve.readAllStandardOutput(); return out.contains("gateway: connected"); }, 15000), out.constData());
        QTest::qWait(200);
        const QList<QPair<QByteArray, QByteArray>> direct{{"x-portkey-provider", "openai"}, {"x-portkey-custom-host", mockHost()},
                                                         {"Authorization", "Bearer sk-mock-serve"}};
        QCOMPARE(chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"from serve\"}]}", direct).status, 200);
        QVERIFY(waitFor([&] { return allTraces(db).size() == 1; }, 10000));
        ::kill(pid_t(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(15000));
        QCOMPARE(serve.exitCode(), 0);
        const QList<SpanList> traces = allTraces(db);
        QCOMPARE(traces.size(), 1);
        QCOMPARE(llmCount(traces.first()), 1);
        QCOMPARE(traces.first().at(1).tokens.output, 7);
    }
};

QTEST_GUILESS_MAIN(TestPortkeyGateway)
#include "tst_portkeygateway.moc"
