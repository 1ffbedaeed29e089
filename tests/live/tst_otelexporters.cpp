// The OpenTelemetry JS SDK's own OTLP/HTTP exporters (JSON and protobuf) delivering traces to the
// receiver end to end. The test installs the pinned npm packages (otel/package.json) into the
// build directory's npm cache; it skips only when node/npm are missing or the registry is down.
#include "live/liveservice.h"
#include "livetesthelpers.h"

#include <QTemporaryDir>

using namespace spanscope;
using namespace spanscope::test;

class TestOtelExporters : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_modules;

private Q_SLOTS:
    void initTestCase()
    {
        bool fatal = false;
        const QString cache = npmCacheDir(QStringLiteral("otel"));
        const QString why = ensureNpmPackages(QStringLiteral(SPANSCOPE_LIVE_TEST_DIR "/otel"), cache, &fatal);
        if (fatal)
            QFAIL(qPrintable(why));
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        m_modules = cache + QStringLiteral("/node_modules");
    }

    void exporters_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addRow("http/json") << QStringLiteral("json");
        QTest::addRow("http/protobuf") << QStringLiteral("proto");
    }

    void exporters()
    {
        QFETCH(QString, protocol);
        const QString db = m_dir.filePath(protocol + QStringLiteral(".sqlite"));
        LiveService service(db);
        LiveReceiverOptions o;
        o.port = 0;
        QString error;
        QVERIFY2(service.startReceiver(o, &error), qPrintable(error));

        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), m_modules);
        node.setProcessEnvironment(env);
        node.start(QStringLiteral("node"), {QStringLiteral(SPANSCOPE_LIVE_TEST_DIR "/otel/send-traces.js"), service.endpoint(), protocol,
                                            QStringLiteral("5"), QStringLiteral("4"), QStringLiteral("otel-js-") + protocol});
        QVERIFY(node.waitForFinished(60000));
        const QByteArray out = node.readAllStandardOutput();
        QVERIFY2(node.exitCode() == 0, QByteArray(out + node.readAllStandardError()).constData());
        const QJsonObject result = QJsonDocument::fromJson(out).object();
        QCOMPARE(result.value(QStringLiteral("exported")).toInt(), 20);
        const QJsonArray ids = result.value(QStringLiteral("traceIds")).toArray();
        QCOMPARE(ids.size(), 5);

        // Every export was answered 200 after its commit: all there now.
        TraceStore store;
        QVERIFY(store.open(db, TraceStore::OpenMode::ReadOnly));
        for (const QJsonValue &id : ids) {
            const SpanList spans = store.loadSpans(id.toString(), true);
            QCOMPARE(spans.size(), 4);
            int llm = 0, errors = 0;
            for (const Span &s : spans) {
                QCOMPARE(s.serviceName, QStringLiteral("otel-js-") + protocol);
                llm += s.kind == SpanKind::Llm;
                errors += s.isError();
                if (s.kind == SpanKind::Llm) {
                    QCOMPARE(s.requestModel, QStringLiteral("gpt-4o-mini"));
                    QVERIFY(s.cost.isKnown());
                    QVERIFY(!attributeValueToString(attributeValue(s.attributes, u"http.request.header.authorization")).contains(QStringLiteral("sk-live")));
                }
            }
            QCOMPARE(llm, 3);
            QCOMPARE(errors, 1);
            const std::optional<TraceSummary> summary = store.traceSummary(id.toString());
            QVERIFY(summary);
            QCOMPARE(summary->spanCount, 4);
        }
    }
};

QTEST_GUILESS_MAIN(TestOtelExporters)
#include "tst_otelexporters.moc"
