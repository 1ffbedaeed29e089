// Export: OTLP JSON / JSON lines that import back to the same spans (every sample and fixture),
// CSV rows with RFC 4180 quoting, and exportTraces() on a real workspace.
#include "../formats/testhelpers.h"

#include "export/exporter.h"
#include "ingest/importpipeline.h"
#include "pricing/pricetable.h"
#include "store/tracestore.h"
#include "trace/trace.h"

#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace spanscope;
using namespace spanscope::test;

namespace {

struct Loaded {
    ImportResult result;
    SpanList spans;
};

// Import as the pipeline does: parse, then semantic conventions and prices.
Loaded load(const QByteArray &data, const QString &name)
{
    Loaded out;
    Collected c;
    out.result = importBytes(data, name, c.sink());
    out.spans = std::move(c.spans);
    enrichSpans(out.spans, *PriceTable::builtin());
    return out;
}

QStringList fixtures()
{
    QStringList files;
    for (const QString &dir : {dataPath(QStringLiteral("samples")), dataPath(QStringLiteral("vendor"))}) {
        QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (!f.endsWith(QLatin1String("README.md")) && !f.endsWith(QLatin1String(".txt")))
                files << f;
        }
    }
    files.sort();
    return files;
}

// The LLM fields one by one, so a failure names the field (compareSpan covers the raw ones).
void compareLlmFields(const Span &a, const Span &b)
{
    QCOMPARE(a.kind, b.kind);
    QCOMPARE(a.operation, b.operation);
    QCOMPARE(a.requestModel, b.requestModel);
    QCOMPARE(a.responseModel, b.responseModel);
    QCOMPARE(a.provider, b.provider);
    QCOMPARE(a.parameters, b.parameters);
    QCOMPARE(a.input, b.input);
    QCOMPARE(a.output, b.output);
    QCOMPARE(a.inputMessages, b.inputMessages);
    QCOMPARE(a.outputMessages, b.outputMessages);
    QCOMPARE(a.tokens, b.tokens);
    QCOMPARE(a.cost, b.cost);
    QCOMPARE(a.toolName, b.toolName);
    QCOMPARE(a.agentName, b.agentName);
    QCOMPARE(a.documents, b.documents);
    QCOMPARE(a.sessionId, b.sessionId);
    QCOMPARE(a.userId, b.userId);
    QCOMPARE(a.tags, b.tags);
    QCOMPARE(a.metadata, b.metadata);
}

// Every span of `expected` has an equal span in `actual` (matched by trace id, span id and,
// for duplicate ids, order of appearance), and nothing else is there.
void compareBySpanId(const SpanList &actual, const SpanList &expected)
{
    QCOMPARE(actual.size(), expected.size());
    QHash<QString, QList<const Span *>> byKey;
    for (const Span &s : actual)
        byKey[s.traceId + QLatin1Char('/') + s.spanId] << &s;
    QHash<QString, int> used;
    for (const Span &e : expected) {
        const QString key = e.traceId + QLatin1Char('/') + e.spanId;
        const QList<const Span *> candidates = byKey.value(key);
        const int n = used[key]++;
        QVERIFY2(n < candidates.size(), qPrintable(QStringLiteral("span %1 is missing").arg(key)));
        const Span &a = *candidates[n];
        if (a == e)
            continue;
        compareSpan(a, e);
        if (QTest::currentTestFailed())
            return;
        compareLlmFields(a, e);
        if (QTest::currentTestFailed())
            return;
        QFAIL(qPrintable(QStringLiteral("span %1 differs in a field not compared above").arg(key)));
    }
}

QList<QStringList> parseCsv(const QByteArray &data)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    const QString text = QString::fromUtf8(data);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            row << field;
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formats()
    {
        QCOMPARE(exportFormatNames(), (QStringList{"otlp-json", "otlp-jsonl", "csv"}));
        QCOMPARE(exportFormatFromName(u"CSV"), std::optional<ExportFormat>(ExportFormat::Csv));
        QVERIFY(!exportFormatFromName(u"xml"));
        QCOMPARE(exportFormatForPath("a/b.jsonl"), std::optional<ExportFormat>(ExportFormat::OtlpJsonLines));
        QCOMPARE(exportFormatForPath("b.JSON"), std::optional<ExportFormat>(ExportFormat::OtlpJson));
        QVERIFY(!exportFormatForPath("b.txt"));
    }

    // import(export(x)) == x, span by span, for every sample and fixture.
    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        for (const QString &f : fixtures()) {
            const QString name = QDir(dataPath(QString())).relativeFilePath(f);
            QTest::addRow("%s as otlp-json", qPrintable(name)) << f << int(ExportFormat::OtlpJson);
            QTest::addRow("%s as otlp-jsonl", qPrintable(name)) << f << int(ExportFormat::OtlpJsonLines);
        }
    }
    void roundTrip()
    {
        QFETCH(QString, file);
        QFETCH(int, format);
        const Loaded x = load(readFile(file), file);
        if (x.spans.isEmpty()) {
            // Not a trace file (the OpenInference attribute fixtures): nothing to round-trip.
            QCOMPARE(x.result.stats.errors, 1);
            QVERIFY(x.result.issues.first().reason.contains("not a supported trace format"));
            return;
        }
        const QByteArray exported = exportSpans(x.spans, ExportFormat(format));
        const Loaded y = load(exported, QStringLiteral("exported"));
        QCOMPARE(y.result.stats.errors, 0);
        QVERIFY2(y.result.format.startsWith("otlp-json"), qPrintable(y.result.format));
        compareBySpanId(y.spans, x.spans);
        if (QTest::currentTestFailed())
            return;
        // And once more: the export of the re-import is the same bytes.
        QCOMPARE(exportSpans(y.spans, ExportFormat(format)), exported);
    }

    void fieldsWithoutAttributesAreWritten()
    {
        // A span whose LLM fields were set directly (as another producer or a future importer
        // might): the export writes the attributes that bring them back.
        Span s;
        s.traceId = QStringLiteral("0102030405060708090a0b0c0d0e0f10");
        s.spanId = QStringLiteral("0102030405060708");
        s.name = QStringLiteral("direct");
        s.startNs = 1000;
        s.endNs = 2000;
        s.serviceName = QStringLiteral("svc");
        s.kind = SpanKind::Llm;
        s.requestModel = QStringLiteral("gpt-4o");
        s.responseModel = QStringLiteral("gpt-4o-2024-08-06");
        s.provider = QStringLiteral("openai");
        s.parameters = {{"temperature", 0.5}, {"max_tokens", qint64(10)}};
        s.input = Payload{QStringLiteral("{\"q\":1}"), QStringLiteral("application/json")};
        s.inputMessages = {Message{"user", "hi", {}, {}, {}, {}}};
        s.outputMessages = {Message{"assistant", "", {ToolCall{"c1", "lookup", "{\"k\":\"v\"}"}}, {}, {}, "tool_calls"},
                            Message{"tool", "42", {}, "c1", "lookup", {}}};
        s.tokens.input = 10;
        s.tokens.output = 2;
        s.tokens.cachedInput = 4;
        s.cost = Cost{0.5, 0.2, 0.3, CostSource::Reported};
        s.sessionId = QStringLiteral("sess");
        s.userId = QStringLiteral("u");
        s.tags = QStringList{"a", "b"};
        s.metadata = {{"env", QStringLiteral("prod")}, {"n", qint64(3)}};
        s.toolName = QStringLiteral("lookup");
        s.agentName = QStringLiteral("planner");
        const Loaded y = load(exportSpans({s}, ExportFormat::OtlpJson), QStringLiteral("direct.json"));
        QCOMPARE(y.spans.size(), 1);
        const Span &r = y.spans[0];
        compareLlmFields(r, s);
        QCOMPARE(r.serviceName, s.serviceName);
        QCOMPARE(r.startNs, s.startNs);
    }

    void attributeTypesSurvive()
    {
        Span s;
        s.traceId = QStringLiteral("t1");
        s.spanId = QStringLiteral("s1");
        s.name = QStringLiteral("types");
        s.attributes = {{"str", QStringLiteral("a \"quoted\"\n\ttext ✓")},
                        {"int", qint64(-9223372036854775807LL)},
                        {"dbl", 0.1},
                        {"whole", 2.0},
                        {"nan", std::numeric_limits<double>::quiet_NaN()},
                        {"inf", -std::numeric_limits<double>::infinity()},
                        {"bool", false},
                        {"bytes", QByteArray("\x00\x01\xff", 3)},
                        {"list", QVariantList{qint64(1), QStringLiteral("x"), QVariantList{true}}},
                        {"map", QVariantMap{{"k", QVariantMap{{"deep", 1.5}}}, {"empty", QVariantList{}}}},
                        {"none", QVariant()},
                        {"dup", QStringLiteral("first")},
                        {"dup", QStringLiteral("second")}};
        s.events = {SpanEvent{5, "e", {{"x", qint64(1)}}}};
        s.links = {SpanLink{"t2", "s2", {{"why", QStringLiteral("because")}}}};
        s.status = StatusCode::Error;
        s.statusMessage = QStringLiteral("bad");
        s.otelKind = 3;
        s.scopeName = QStringLiteral("scope");
        s.scopeVersion = QStringLiteral("1.0");
        s.scopeAttributes = {{"sa", qint64(1)}};
        s.resourceAttributes = {{"service.name", QStringLiteral("svc")}, {"host", QStringLiteral("h")}};
        s.serviceName = QStringLiteral("svc");
        ImportOptions keep;
        Collected c;
        importBytes(exportSpans({s}, ExportFormat::OtlpJsonLines), QStringLiteral("types.jsonl"), c.sink(), keep);
        QCOMPARE(c.spans.size(), 1);
        compareSpan(c.spans[0], s);
    }

    void emptyExports()
    {
        QCOMPARE(exportSpans({}, ExportFormat::OtlpJson), QByteArray("{\"resourceSpans\":[]}\n"));
        QCOMPARE(exportSpans({}, ExportFormat::OtlpJsonLines), QByteArray());
        QCOMPARE(exportSpans({}, ExportFormat::Csv), (csvColumns().join(',') + "\r\n").toUtf8());
    }

    void csvRows()
    {
        const Loaded x = load(readFile(dataPath("vendor/portkey-logs.jsonl")), "portkey-logs.jsonl");
        Span tricky = x.spans[0];
        tricky.spanId = QStringLiteral("tricky");
        tricky.name = QStringLiteral("a, \"b\"\nc");
        SpanList spans = x.spans;
        spans << tricky;
        const QByteArray csv = exportSpans(spans, ExportFormat::Csv);
        QVERIFY(csv.contains("\"a, \"\"b\"\"\nc\""));
        const QList<QStringList> rows = parseCsv(csv);
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows[0], csvColumns());
        for (const QStringList &row : rows)
            QCOMPARE(row.size(), csvColumns().size());
        const auto col = [&](const char *name) { return csvColumns().indexOf(QString::fromLatin1(name)); };
        const QStringList &first = rows[1];
        QCOMPARE(first[col("trace_id")], QStringLiteral("tr-1"));
        QCOMPARE(first[col("span_id")], QStringLiteral("log-1"));
        QCOMPARE(first[col("kind")], QStringLiteral("llm"));
        QCOMPARE(first[col("service")], QStringLiteral("portkey-gateway"));
        QCOMPARE(first[col("start")], QStringLiteral("2025-05-05T10:00:00Z"));
        QCOMPARE(first[col("duration_ms")], QStringLiteral("420.000"));
        QCOMPARE(first[col("status")], QStringLiteral("ok"));
        QCOMPARE(first[col("model")], QStringLiteral("gpt-4o-mini-2024-07-18"));
        QCOMPARE(first[col("provider")], QStringLiteral("openai"));
        QCOMPARE(first[col("input_tokens")], QStringLiteral("9"));
        QCOMPARE(first[col("output_tokens")], QStringLiteral("3"));
        QCOMPARE(first[col("total_tokens")], QStringLiteral("12"));
        QCOMPARE(first[col("cost_usd")], QStringLiteral("3.2e-05"));
        QCOMPARE(first[col("cost_source")], QStringLiteral("reported"));
        QCOMPARE(first[col("session_id")], QStringLiteral("s-77"));
        QCOMPARE(first[col("user_id")], QStringLiteral("dana"));
        QVERIFY(first[col("input")].contains("Hi, there"));
        QVERIFY(first[col("output")].contains("Hello!"));
        const QStringList &failed = rows[2];
        QCOMPARE(failed[col("status")], QStringLiteral("error"));
        QCOMPARE(failed[col("status_message")], QStringLiteral("overloaded"));
        QCOMPARE(rows[3][col("span_id")], QStringLiteral("tricky"));   // grouped with its trace
        QCOMPARE(rows[3][col("name")], QStringLiteral("a, \"b\"\nc"));
    }

    void csvDefusesFormulas()
    {
        // Span content comes from whoever sent the trace; a spreadsheet must not run it.
        Span s;
        s.traceId = QStringLiteral("t1");
        s.spanId = QStringLiteral("s1");
        s.name = QStringLiteral("=HYPERLINK(\"http://evil\",\"x\")");
        s.sessionId = QStringLiteral("@SUM(A1)");
        s.userId = QStringLiteral("-12.5");          // a plain number stays a number
        s.statusMessage = QStringLiteral("+cmd|' /C calc'!A0");
        s.input.value = QStringLiteral("plain text");
        const QList<QStringList> rows = parseCsv(exportSpans({s}, ExportFormat::Csv));
        QCOMPARE(rows.size(), 2);
        const auto col = [&](const char *name) { return csvColumns().indexOf(QString::fromLatin1(name)); };
        QCOMPARE(rows[1][col("name")], QStringLiteral("'=HYPERLINK(\"http://evil\",\"x\")"));
        QCOMPARE(rows[1][col("session_id")], QStringLiteral("'@SUM(A1)"));
        QCOMPARE(rows[1][col("user_id")], QStringLiteral("-12.5"));
        QCOMPARE(rows[1][col("status_message")], QStringLiteral("'+cmd|' /C calc'!A0"));
        QCOMPARE(rows[1][col("input")], QStringLiteral("plain text"));
        // Unknown counts and costs are empty cells, not zeros.
        const Loaded jaeger = load(readFile(dataPath("samples/otlp-trace.json")), "otlp-trace.json");
        const QList<QStringList> j = parseCsv(exportSpans(jaeger.spans, ExportFormat::Csv));
        QCOMPARE(j[1][col("input_tokens")], QString());
        QCOMPARE(j[1][col("cost_usd")], QString());
        QCOMPARE(j[1][col("cost_source")], QStringLiteral("none"));
        QCOMPARE(j[1][col("parent_span_id")], QStringLiteral("eee19b7ec3c1b173"));
    }

    // ---- on a workspace ------------------------------------------------------------------------

    void exportFromWorkspace()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        QStringList files;
        for (const QString &f : fixtures())
            files << f;
        importFiles(store, files);
        TraceQuery all;
        all.limit = 0;
        QStringList ids;
        for (const TraceSummary &t : store.listTraces(all))
            ids << t.traceId;
        QVERIFY(ids.size() >= 20);

        int progressCalls = 0;
        ExportOptions options;
        options.progress = [&](int done, int total) {
            ++progressCalls;
            QVERIFY(done <= total);
        };
        const QString path = dir.filePath("out.json");
        const ExportResult r = exportTraces(store, ids + QStringList{"no-such-trace"}, ExportFormat::OtlpJson, path, options);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.traces, ids.size());
        QCOMPARE(r.missing, QStringList{"no-such-trace"});
        QCOMPARE(progressCalls, ids.size() + 1);

        // Imported into a second workspace, every trace loads back the same.
        TraceStore second;
        QVERIFY(second.open(dir.filePath("second.sqlite")));
        const QList<FileImportReport> reports = importFiles(second, {path});
        QVERIFY(reports.first().ok());
        for (const QString &id : std::as_const(ids)) {
            const SpanList a = store.loadSpans(id, true);
            const SpanList b = second.loadSpans(id, true);
            compareBySpanId(b, a);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(second.traceSummary(id)->costUsd, store.traceSummary(id)->costUsd);
        }

        // CSV of the whole workspace: one row per stored span.
        QString error;
        QVERIFY(exportTraces(store, ids, ExportFormat::Csv, dir.filePath("out.csv"), &error));
        QVERIFY(error.isEmpty());
        QCOMPARE(parseCsv(readFile(dir.filePath("out.csv"))).size() - 1, store.counts().spans);
    }

    void cancelledOrFailedExportLeavesNoFile()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        importFiles(store, {dataPath("samples/otlp-trace.json")});
        const QString path = dir.filePath("cancelled.json");
        std::atomic_bool cancel = true;
        ExportOptions options;
        options.cancel = &cancel;
        const ExportResult r = exportTraces(store, {"5b8efff798038103d269b633813fc60c"}, ExportFormat::OtlpJson, path, options);
        QVERIFY(r.cancelled);
        QVERIFY(!QFile::exists(path));
        QString error;
        const QString bad = dir.filePath("no/such/dir/out.json");
        QVERIFY(!exportTraces(store, {"5b8efff798038103d269b633813fc60c"}, ExportFormat::Csv, bad, &error));
        QVERIFY2(error.contains(bad), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
