// `spanscope import --format` on the vendor formats, `--keep-secrets`, and `spanscope export`
// through the real binary.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "clitest.h"

using clitest::Run;
using clitest::spanscope;

namespace {

QString data(const QString &name)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/") + name;
}

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestExportCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QJsonArray traces(const QString &db)
    {
        return json(spanscope({"traces", "--json", "--limit", "0", "--db", db}).out)["traces"].toArray();
    }

    // A workspace with every vendor sample in it.
    QString vendorWorkspace()
    {
        const QString db = path("vendor.sqlite");
        if (!QFile::exists(db)) {
            const Run r = spanscope({"import", "--db", db, data("samples/jaeger-ui_01-single-trace.json"),
                                     data("samples/zipkin-v2-listofspans-from-zipkin2-api-example.json"),
                                     data("samples/langfuse-ingestion-batch-CONSTRUCTED.json"),
                                     data("samples/langsmith-runs-batch-py_wrap_openai.json"),
                                     data("samples/portkey-gateway/run2-log-stream-raw.sse"), data("samples/portkey-gateway/hook-posts.jsonl"),
                                     data("vendor/langsmith-dotted-order-patches.jsonl"), data("vendor/portkey-logs.csv")});
            if (r.exitCode != 0)
                qWarning() << r.out << r.err;
        }
        return db;
    }

private Q_SLOTS:
    void importForcedFormats_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::addRow("jaeger") << "samples/jaeger-api-wrapped-from-ui_01.json" << "jaeger" << 4;   // a duplicate id is stored once
        QTest::addRow("zipkin") << "samples/zipkin-v2-listofspans-from-zipkin2-api-example.json" << "zipkin" << 1;
        QTest::addRow("langfuse") << "samples/langfuse-ingestion-batch-CONSTRUCTED.json" << "langfuse" << 3;
        QTest::addRow("langsmith") << "samples/langsmith-runs-batch-py_wrap_openai.json" << "langsmith" << 1;
        QTest::addRow("portkey-logs") << "vendor/portkey-logs.csv" << "portkey-logs" << 3;
        QTest::addRow("portkey-sse") << "samples/portkey-gateway/run2-log-stream-raw.sse" << "portkey-sse" << 9;
        QTest::addRow("portkey-hooks") << "samples/portkey-gateway/hook-posts.jsonl" << "portkey-hooks" << 3;
    }
    void importForcedFormats()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, spans);
        const QString db = path(QStringLiteral("forced-%1.sqlite").arg(format));
        const Run r = spanscope({"import", "--db", db, "--format", format, data(file)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("[%1]").arg(format)), qPrintable(r.out));
        int stored = 0;
        for (const QJsonValue &t : traces(db))
            stored += t["spanCount"].toInt();
        QCOMPARE(stored, spans);
        // Detection alone picks the same.
        const Run detected = spanscope({"import", "--db", path(QStringLiteral("detected-%1.sqlite").arg(format)), data(file)});
        QVERIFY(detected.out.contains(QStringLiteral("[%1]").arg(format)));
    }

    void wrongFormatAndAmbiguity()
    {
        const Run wrong = spanscope({"import", "--db", path("wrong.sqlite"), "--format", "zipkin", data("samples/langfuse-ingestion-batch-CONSTRUCTED.json")});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY(wrong.err.contains("langfuse-ingestion-batch-CONSTRUCTED.json"));
        const Run unknown = spanscope({"import", "--db", path("wrong.sqlite"), "--format", "datadog", data("samples/otlp-trace.json")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("portkey-hooks"));
        const QString mixed = path("mixed.json");
        QFile f(mixed);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"id":"x","run_type":"llm","start_time":"2025-01-01T00:00:00Z","startTime":"2025-01-01T00:00:00Z","traceId":"t","type":"GENERATION","trace_id":"t"})");
        f.close();
        const Run ambiguous = spanscope({"import", "--db", path("mixed.sqlite"), mixed});
        QCOMPARE(ambiguous.exitCode, 1);
        QVERIFY2(ambiguous.err.contains(mixed + ": cannot tell the format") && ambiguous.err.contains("langsmith")
                     && ambiguous.err.contains("langfuse"),
                 qPrintable(ambiguous.err));
        QCOMPARE(spanscope({"import", "--db", path("mixed.sqlite"), "--format", "langfuse", mixed}).exitCode, 0);
    }

    void secretsRedactedUnlessKept()
    {
        const QString file = data("samples/portkey-gateway/hook-posts.jsonl");
        QCOMPARE(spanscope({"import", "--db", path("redacted.sqlite"), file}).exitCode, 0);
        QCOMPARE(spanscope({"import", "--db", path("kept.sqlite"), "--keep-secrets", file}).exitCode, 0);
        const Run redacted = spanscope({"show", "--json", "--db", path("redacted.sqlite"), "trace-hook-003"});
        const Run kept = spanscope({"show", "--json", "--db", path("kept.sqlite"), "trace-hook-003"});
        QCOMPARE(redacted.exitCode, 0);
        QVERIFY(!redacted.out.contains("sk-mock-secret"));
        QVERIFY(redacted.out.contains("Bearer [REDACTED]"));
        QVERIFY(kept.out.contains("Bearer sk-mock-secret"));
        // Everything else is the same.
        QJsonObject a = json(redacted.out)["spans"].toArray()[0].toObject();
        QJsonObject b = json(kept.out)["spans"].toArray()[0].toObject();
        a.remove("attributes");
        b.remove("attributes");
        QCOMPARE(a, b);
    }

    void exportAllToEachFormatAndBack_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("file");
        QTest::addRow("otlp-json") << "otlp-json" << "all.json";
        QTest::addRow("otlp-jsonl") << "otlp-jsonl" << "all.jsonl";
    }
    void exportAllToEachFormatAndBack()
    {
        QFETCH(QString, format);
        QFETCH(QString, file);
        const QString db = vendorWorkspace();
        const QJsonArray before = traces(db);
        QVERIFY(before.size() >= 10);
        const Run r = spanscope({"export", "--db", db, "--format", format, "--all", "-o", path(file)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("exported %1 traces").arg(before.size())), qPrintable(r.out));
        const QString copy = path(QStringLiteral("copy-%1.sqlite").arg(format));
        const Run back = spanscope({"import", "--db", copy, path(file)});
        QVERIFY2(back.exitCode == 0, qPrintable(back.err));
        QCOMPARE(traces(copy), before);
        // The span trees too, attributes included.
        for (const QJsonValue &t : before) {
            const QString id = t["traceId"].toString();
            QCOMPARE(json(spanscope({"show", "--json", "--db", copy, id}).out), json(spanscope({"show", "--json", "--db", db, id}).out));
        }
        // The format follows the extension when --format is not given.
        QCOMPARE(spanscope({"export", "--db", db, "--all", "-o", path("by-extension-" + file)}).exitCode, 0);
        QCOMPARE(readAll(path("by-extension-" + file)), readAll(path(file)));
    }

    void exportCsvByIdsAndFilters()
    {
        const QString db = vendorWorkspace();
        // Ids (a unique prefix is enough), in the order given.
        const Run ids = spanscope({"export", "--db", db, "--format", "csv", "trace-hook-00", "-o", path("x.csv")});
        QCOMPARE(ids.exitCode, 1);   // ambiguous prefix: no such single trace
        QVERIFY(!QFile::exists(path("x.csv")));
        const Run two = spanscope({"export", "--db", db, "--format", "csv", "trace-hook-001", "trace-demo-001", "-o", path("two.csv")});
        QVERIFY2(two.exitCode == 0, qPrintable(two.err));
        const QList<QByteArray> rows = readAll(path("two.csv")).split('\n');
        QVERIFY(rows[0].startsWith("trace_id,span_id,parent_span_id,name,kind,service,start,duration_ms,status"));
        QCOMPARE(rows.size() - 2, 1 + 3);   // header, 4 spans, final line break
        QVERIFY(rows[1].startsWith("trace-hook-001,"));
        QVERIFY(rows[2].startsWith("trace-demo-001,trace-demo-001,,plan-step,chain,"));

        // Filters.
        auto spanCount = [&](const QStringList &filter) {
            const Run r = spanscope(QStringList{"export", "--db", db, "--format", "csv", "-o", "-"} + filter);
            if (r.exitCode != 0)
                qWarning() << r.err;
            return int(r.rawOut.count("\r\n")) - 1;
        };
        const Run byModel = spanscope({"export", "--db", db, "--model", "gpt-4o-mini", "--format", "otlp-jsonl", "-o", "-"});
        QCOMPARE(byModel.exitCode, 0);
        QVERIFY(byModel.err.contains("exported"));   // the summary goes to stderr when the data goes to stdout
        const QList<QByteArray> lines = byModel.rawOut.trimmed().split('\n');
        int expected = 0;
        for (const QJsonValue &t : traces(db))
            expected += t["models"].toArray().contains("gpt-4o-mini");
        QCOMPARE(lines.size(), expected);
        for (const QByteArray &line : lines)
            QVERIFY(QJsonDocument::fromJson(line).object().contains("resourceSpans"));
        int errorSpans = 0;
        for (const QJsonValue &t : traces(db))
            errorSpans += t["errorCount"].toInt() > 0 ? t["spanCount"].toInt() : 0;
        QCOMPARE(spanCount({"--status", "error"}), errorSpans);
        QCOMPARE(spanCount({"--since", "2030-01-01"}), 0);
        int since2026 = 0;
        for (const QJsonValue &t : traces(db))
            since2026 += t["startTimeUnixNano"].toString().toLongLong() >= 1767225600000000000LL ? t["spanCount"].toInt() : 0;
        QCOMPARE(spanCount({"--since", "2026-01-01"}), since2026);
        QVERIFY(since2026 > 0);
        QCOMPARE(spanCount({"--search", "howdy"}), 1);   // the LangSmith run's input
    }

    void usageErrors()
    {
        const QString db = vendorWorkspace();
        QCOMPARE(spanscope({"export", "--db", db, "--all"}).exitCode, 2);                                        // no -o
        QCOMPARE(spanscope({"export", "--db", db, "--all", "-o", path("x.txt")}).exitCode, 2);                   // format unknown
        QCOMPARE(spanscope({"export", "--db", db, "--format", "xml", "--all", "-o", path("x.xml")}).exitCode, 2);
        QCOMPARE(spanscope({"export", "--db", db, "-o", path("x.json")}).exitCode, 2);                           // nothing chosen
        QCOMPARE(spanscope({"export", "--db", db, "--all", "trace-demo-001", "-o", path("x.json")}).exitCode, 2);
        QCOMPARE(spanscope({"export", "--db", db, "--status", "maybe", "-o", path("x.json")}).exitCode, 2);
        const Run missing = spanscope({"export", "--db", db, "nope", "-o", path("x.json")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no trace nope"));
        QVERIFY(!QFile::exists(path("x.json")));
        const Run help = spanscope({"--help"});
        QVERIFY(help.out.contains("spanscope export"));
        QVERIFY(help.out.contains("--keep-secrets"));
    }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_export.moc"
