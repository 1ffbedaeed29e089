#include "ingest/importpipeline.h"
#include "store/tracestore.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace spanscope;

namespace {
// A JSON-lines file of `traces` one-span-per-line OTLP documents.
QString writeJsonLines(const QString &path, int traces, int badLine = -1)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < traces; ++i) {
        if (i == badLine) {
            f.write("{\"resourceSpans\": [ this is not json\n");
            continue;
        }
        f.write(QStringLiteral(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
                               R"("scopeSpans":[{"spans":[{"traceId":"%1","spanId":"00000000000000aa","name":"chat","kind":3,)"
                               R"("startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000",)"
                               R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},)"
                               R"({"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},)"
                               R"({"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},)"
                               R"({"key":"gen_ai.usage.output_tokens","value":{"intValue":"100"}}]}]}]}]})")
                    .arg(i + 1, 32, 16, QLatin1Char('0'))
                    .toUtf8());
        f.write("\n");
    }
    return path;
}
} // namespace

class TestImportPipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void importsEnrichesAndStores()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        const QString file = writeJsonLines(dir.filePath("runs.jsonl"), 50);
        qint64 lastDone = 0, lastTotal = 0;
        int commits = 0;
        ImportPipelineOptions options;
        options.batchSize = 7;
        options.progress = [&](int, qint64 done, qint64 total) {
            QVERIFY(done >= lastDone);
            lastDone = done;
            lastTotal = total;
        };
        options.committed = [&](int, qint64) { ++commits; };
        const QList<FileImportReport> reports = importFiles(store, {file}, options);
        QCOMPARE(reports.size(), 1);
        QVERIFY(reports[0].ok());
        QCOMPARE(reports[0].storedSpans, 50);
        QVERIFY(commits >= 50 / 7);
        QCOMPARE(lastDone, lastTotal);
        QCOMPARE(store.counts().traces, 50);
        QCOMPARE(store.counts().pendingFullText, 0);

        // Semantic conventions and prices were applied before storing.
        const SpanList spans = store.loadSpans(QStringLiteral("%1").arg(1, 32, 16, QLatin1Char('0')), true);
        QCOMPARE(spans.size(), 1);
        QCOMPARE(spans[0].kind, SpanKind::Llm);
        QCOMPARE(spans[0].requestModel, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(spans[0].cost.source, CostSource::Computed);
        // gpt-4o-mini: $0.15 / M input, $0.60 / M output.
        QVERIFY(qAbs(spans[0].cost.totalUsd - (1000 * 0.15 + 100 * 0.6) / 1e6) < 1e-12);
        QCOMPARE(store.search(QStringLiteral("chat")).size(), 50);
    }

    // Secrets are redacted before anything is stored: in attributes, in resource attributes (which
    // redaction reads without detaching: they are shared by every span of the resource) and in the
    // messages read from attributes later. keepSecrets keeps them.
    void redactsSecretsUnlessKept()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("secret.jsonl");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}},)"
                    R"({"key":"deploy.access_token","value":{"stringValue":"tok-0123456789"}}]},)"
                    R"("scopeSpans":[{"spans":[{"traceId":"000000000000000000000000000000ab","spanId":"00000000000000aa",)"
                    R"("name":"chat","kind":3,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000",)"
                    R"("attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},)"
                    R"({"key":"http.request.header.x-api-key","value":{"stringValue":"abcd1234"}},)"
                    "{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":\"[{\\\"role\\\":\\\"user\\\",\\\"parts\\\":"
                    "[{\\\"type\\\":\\\"text\\\",\\\"content\\\":\\\"my key is sk-abcdefghijklmnop123\\\"}]}]\"}}]}]}]}]}"
                    "\n");
        }
        for (const bool keep : {false, true}) {
            TraceStore store;
            QVERIFY(store.open(dir.filePath(keep ? "kept.sqlite" : "redacted.sqlite")));
            ImportPipelineOptions options;
            options.keepSecrets = keep;
            const QList<FileImportReport> reports = importFiles(store, {file}, options);
            QCOMPARE(reports.size(), 1);
            QVERIFY(reports[0].ok());
            const SpanList spans = store.loadSpans(QStringLiteral("000000000000000000000000000000ab"), true);
            QCOMPARE(spans.size(), 1);
            const Span &s = spans[0];
            QCOMPARE(attributeValue(s.attributes, u"http.request.header.x-api-key").toString(),
                     keep ? QStringLiteral("abcd1234") : QStringLiteral("[REDACTED]"));
            QCOMPARE(attributeValue(s.resourceAttributes, u"deploy.access_token").toString(),
                     keep ? QStringLiteral("tok-0123456789") : QStringLiteral("[REDACTED]"));
            QCOMPARE(s.inputMessages.size(), 1);
            QCOMPARE(s.inputMessages[0].content,
                     keep ? QStringLiteral("my key is sk-abcdefghijklmnop123") : QStringLiteral("my key is sk-[REDACTED]"));
        }
    }

    void badLineIsReportedOthersKept()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        const QString good = writeJsonLines(dir.filePath("good.jsonl"), 3);
        const QString bad = writeJsonLines(dir.filePath("bad.jsonl"), 10, 4);
        const QList<FileImportReport> reports = importFiles(store, {bad, good});
        QCOMPARE(reports.size(), 2);
        QVERIFY(!reports[0].ok());
        QCOMPARE(reports[0].storedSpans, 9);
        QVERIFY(!reports[0].result.issues.isEmpty());
        QCOMPARE(reports[0].result.issues.first().line, 5);
        QVERIFY(reports[0].result.issues.first().toString().startsWith(bad + QStringLiteral(":line 5: ")));
        QVERIFY(reports[1].ok());
        // good.jsonl repeats the first three trace ids of bad.jsonl: no duplicates.
        QCOMPARE(store.counts().spans, 9);
    }

    void cancelStopsEarlyAndKeepsWhatWasStored()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        const QString file = writeJsonLines(dir.filePath("many.jsonl"), 2000);
        std::atomic_bool cancel = false;
        ImportPipelineOptions options;
        options.batchSize = 10;
        options.cancel = &cancel;
        options.committed = [&](int, qint64 stored) {
            if (stored >= 100)
                cancel = true;
        };
        const QList<FileImportReport> reports = importFiles(store, {file, file}, options);
        QCOMPARE(reports.size(), 1);  // the second file never started
        QVERIFY(reports[0].result.cancelled);
        QVERIFY(reports[0].storedSpans >= 100);
        QVERIFY(reports[0].storedSpans < 2000);
        QCOMPARE(store.counts().spans, reports[0].storedSpans);
    }

    // Indexes are deferred for files big next to the workspace, kept for small additions (whose
    // rebuild would cost more than writing with them in place).
    void defersIndexesOnlyForBigInput()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        const QString big = writeJsonLines(dir.filePath("big.jsonl"), 3000);
        const QString small = writeJsonLines(dir.filePath("small.jsonl"), 20);
        const auto workspaceBytes = [&] {
            return QFileInfo(dir.filePath("w.sqlite")).size() + QFileInfo(dir.filePath("w.sqlite-wal")).size();
        };
        QVERIFY(QFileInfo(big).size() > workspaceBytes());
        int bulkCommits = 0, plainCommits = 0;
        ImportPipelineOptions options;
        options.batchSize = 500;
        options.committed = [&](int, qint64) { ++(store.isBulk() ? bulkCommits : plainCommits); };
        QVERIFY(importFiles(store, {big}, options).first().ok());
        QVERIFY(bulkCommits > 0);
        QCOMPARE(plainCommits, 0);
        QVERIFY(!store.isBulk());

        bulkCommits = 0;
        QVERIFY(QFileInfo(small).size() * 100 < workspaceBytes());
        QVERIFY(importFiles(store, {small}, options).first().ok());
        QCOMPARE(bulkCommits, 0);
        QVERIFY(plainCommits > 0);
        QCOMPARE(store.counts().spans, 3000);  // the small file repeats the first 20 traces

        // Unless the caller says never.
        plainCommits = 0;
        options.bulk = false;
        QVERIFY(importFiles(store, {big}, options).first().ok());
        QCOMPARE(bulkCommits, 0);
        QVERIFY(plainCommits > 0);
    }

    void missingFileIsAnError()
    {
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath("w.sqlite")));
        const QString missing = dir.filePath("nope.json");
        const QList<FileImportReport> reports = importFiles(store, {missing});
        QCOMPARE(reports.size(), 1);
        QVERIFY(!reports[0].ok());
        QVERIFY(!reports[0].result.issues.isEmpty());
        QVERIFY(reports[0].result.issues.first().toString().contains(missing));
    }
};

QTEST_GUILESS_MAIN(TestImportPipeline)
#include "tst_importpipeline.moc"
