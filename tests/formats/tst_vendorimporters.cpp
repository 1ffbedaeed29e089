// Vendor exports (Jaeger, Zipkin, Langfuse, LangSmith, Portkey): detection, the span trees they
// become, the quirks of each format, streaming and positions, and robustness against damage.
#include "vendortesthelpers.h"

#include "formats/portkeylog.h"
#include "formats/timestamps.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QStringList lines(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char('\n'));
}

QVariant attr(const Span &s, const char *key)
{
    return attributeValue(s.attributes, QString::fromLatin1(key));
}

const SpanEvent *eventNamed(const Span &s, const QString &name)
{
    for (const SpanEvent &e : s.events) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

// Every readable input the tests know: the public samples and our own fixtures.
QStringList allFixtures()
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

} // namespace

class TestVendorImporters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- every sample and fixture: format, counts, tree --------------------------------------

    void trees_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("errors");
        QTest::addColumn<QStringList>("tree");

        const QStringList jaegerSample = lines("trace 0000000000000001\n"
                                               "some-operation [span] ERROR\n"
                                               "  some-operation [span]\n"
                                               "  reference-test [span]\n"
                                               "    preserveParentID-test [span]");
        QTest::addRow("jaeger ui download") << "samples/jaeger-ui_01-single-trace.json" << "jaeger" << 5 << 0 << jaegerSample;
        QTest::addRow("jaeger api envelope") << "samples/jaeger-api-wrapped-from-ui_01.json" << "jaeger" << 5 << 0 << jaegerSample;
        QTest::addRow("zipkin sample") << "samples/zipkin-v2-listofspans-from-zipkin2-api-example.json" << "zipkin" << 1 << 0
                                       << lines("trace 5af7183fb1d4cf5f\nget /api [span]");
        QTest::addRow("langfuse ingestion sample")
            << "samples/langfuse-ingestion-batch-CONSTRUCTED.json" << "langfuse" << 3 << 0
            << lines("trace trace-demo-001\n"
                     "plan-step [chain]\n"
                     "  agent [span]\n"
                     "    chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok $6e-06 reported");
        QTest::addRow("langsmith post/patch sample")
            << "samples/langsmith-runs-batch-py_wrap_openai.json" << "langsmith" << 1 << 0
            << lines("trace d0d84d31-923d-4cb5-94a8-40a0a0087578\n"
                     "ChatOpenAI [llm] gpt-4o-mini-2024-07-18 9/9 tok");
        QTest::addRow("otlp example") << "samples/otlp-trace.json" << "otlp-json" << 1 << 0
                                      << lines("trace 5b8efff798038103d269b633813fc60c\nI'm a server span [span]");
        const QStringList genai = lines("trace a33da757c22576d0b0a5d1a306e318e8\n"
                                        "invoke_agent planner [agent]\n"
                                        "  chat gpt-4o-mini [llm] gpt-4o-mini-2024-07-18 12/7 tok\n"
                                        "  execute_tool get_weather [tool] ERROR upstream 503");
        QTest::addRow("otlp genai json") << "samples/otlp-genai-sdk-generated.json" << "otlp-json" << 3 << 0 << genai;
        QTest::addRow("otlp genai protobuf") << "samples/otlp-genai-sdk-generated.binpb" << "otlp-proto" << 3 << 0 << genai;
        QTest::addRow("portkey hook posts")
            << "samples/portkey-gateway/hook-posts.jsonl" << "portkey-hooks" << 3 << 0
            << lines("trace trace-hook-001\n"
                     "chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok\n"
                     "trace trace-hook-002\n"
                     "chat gpt-4o [llm] gpt-4o\n"
                     "trace trace-hook-003\n"
                     "summarize [llm] gpt-4o-mini 12/7 tok");
        QTest::addRow("portkey log stream run2")
            << "samples/portkey-gateway/run2-log-stream-raw.sse" << "portkey-sse" << 9 << 0
            << lines("trace 1a5fdf0114ec7ee9022be98225c5e151\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok\n"
                     "trace a925d54df135166cbbaa442e013c308b\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o [llm] gpt-4o\n"
                     "trace b54095be502c8c67a328e6dac9d40b61\n"
                     "POST /v1/embeddings [span] ERROR HTTP 404: not found\n"
                     "  embeddings text-embedding-3-small [embedding] text-embedding-3-small ERROR not found\n"
                     "trace c56861fa802afe85e02b9d172f2800d0\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o-mini [llm] gpt-4o-mini ERROR mock upstream overloaded\n"
                     "  chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok");
        QTest::addRow("portkey log stream run3 (no endpoint)")
            << "samples/portkey-gateway/run3-port8790-log-stream-raw.sse" << "portkey-sse" << 2 << 0
            << lines("trace 3e06ea99ff658a6dcb41bcad13ffcc4d\n"
                     "gateway POST [span]\n"
                     "  chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok");
        QTest::addRow("portkey log stream run4")
            << "samples/portkey-gateway/run4-hooks-log-stream-raw.sse" << "portkey-sse" << 4 << 0
            << lines("trace b2abe9e7a7cce1ba6d0d7cb7f74ca1a5\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o-mini [llm] gpt-4o-mini 12/7 tok\n"
                     "trace c8e3059bfefb2763649bd223f33d314c\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o [llm] gpt-4o");

        QTest::addRow("jaeger unpadded ids, FOLLOWS_FROM")
            << "vendor/jaeger-unpadded-follows-from.json" << "jaeger" << 4 << 0
            << lines("trace 0000000000000abc\n"
                     "HTTP GET /plan [span]\n"
                     "  enqueue [span]\n"
                     "    process job [span] ERROR job failed\n"
                     "orphan [span]");
        QTest::addRow("zipkin shared span, missing parent")
            << "vendor/zipkin-shared-missing-parent.json" << "zipkin" << 4 << 0
            << lines("trace 463ac35c9f6413ad48485a3953bb6124\n"
                     "get /orders [span]\n"
                     "  get [span]\n"
                     "    get [span] ERROR timeout talking to db\n"
                     "      select [span]");
        QTest::addRow("zipkin trace list") << "vendor/zipkin-traces-nested.json" << "zipkin" << 3 << 0
                                           << lines("trace 0000000000000001\n"
                                                    "first root [span]\n"
                                                    "trace 0000000000000002\n"
                                                    "second root [span]\n"
                                                    "  second child [span]");
        QTest::addRow("langfuse updates and offsets")
            << "vendor/langfuse-updates-offsets.json" << "langfuse" << 5 << 0
            << lines("trace t-offsets\n"
                     "travel-agent [chain]\n"
                     "  plan [span]\n"
                     "    choose tool [llm] gpt-4o 100/20 tok $0.00131 reported\n"
                     "    cache lookup [span]\n"
                     "    search [tool] ERROR search backend unavailable");
        QTest::addRow("langfuse api trace")
            << "vendor/langfuse-api-trace.json" << "langfuse" << 5 << 0
            << lines("trace 9f7c3c3e2d1b4a5f8e6d7c6b5a4f3e2d\n"
                     "rag-answer [chain]\n"
                     "  answerer [agent]\n"
                     "    vector search [retriever]\n"
                     "    compose [llm] claude-3-5-sonnet-20240620 100/8 tok $0.00042 reported\n"
                     "    answer sent [span]");
        QTest::addRow("langfuse traces page") << "vendor/langfuse-traces-page.json" << "langfuse" << 2 << 0
                                              << lines("trace page-trace-1\none [chain]\ntrace page-trace-2\ntwo [chain]");
        QTest::addRow("langsmith patch before post")
            << "vendor/langsmith-batch-patch-first.json" << "langsmith" << 2 << 0
            << lines("trace 7f000000-0000-4000-8000-000000000001\n"
                     "translate-prompt [prompt]\n"
                     "  format [span]");
        QTest::addRow("langsmith dotted_order and patches (json lines)")
            << "vendor/langsmith-dotted-order-patches.jsonl" << "langsmith" << 4 << 0
            << lines("trace 1c0e1d2f-0000-4000-8000-00000000000a\n"
                     "WeatherBot [chain]\n"
                     "  AgentExecutor [chain]\n"
                     "    ChatOpenAI [llm] gpt-4o-2024-08-06 50/12 tok $0.000245 reported\n"
                     "    get_weather [tool] ERROR ValueError('city not found')");
        const QStringList portkeyRows = lines("trace tr-1\n"
                                              "chat gpt-4o-mini [llm] gpt-4o-mini-2024-07-18 9/3 tok $3.2e-05 reported\n"
                                              "chat claude-3-haiku-20240307 [llm] claude-3-haiku-20240307 0/0 tok $0 reported ERROR overloaded\n"
                                              "trace log-3\n"
                                              "embeddings text-embedding-3-small [embedding] text-embedding-3-small 3/0 tok $6e-07 reported");
        QTest::addRow("portkey logs csv") << "vendor/portkey-logs.csv" << "portkey-logs" << 3 << 0 << portkeyRows;
        QTest::addRow("portkey logs json lines") << "vendor/portkey-logs.jsonl" << "portkey-logs" << 3 << 0 << portkeyRows;
        QTest::addRow("portkey retries and fallbacks")
            << "vendor/portkey-sse-retries.sse" << "portkey-sse" << 4 << 1
            << lines("trace 6bc888148d2edeb2dbeaf0d70142206e\n"
                     "POST /v1/chat/completions [span]\n"
                     "  chat gpt-4o [llm] gpt-4o ERROR upstream 503\n"
                     "  chat gpt-4o [llm] gpt-4o ERROR rate limited\n"
                     "  chat gpt-4o [llm] gpt-4o-2024-08-06 40/5 tok");
    }
    void trees()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, spans);
        QFETCH(int, errors);
        QFETCH(QStringList, tree);
        const Imported r = importNormalized(dataPath(file));
        QCOMPARE(r.result.format, format);
        QCOMPARE(r.spans.size(), spans);
        QCOMPARE(r.result.stats.errors, errors);
        QCOMPARE(dumpTraces(r.spans), tree);
        // Forcing the detected format reads the same.
        ImportOptions forced;
        forced.forcedFormat = format;
        QCOMPARE(importNormalized(dataPath(file), forced).spans.size(), spans);
    }

    // ---- detection -----------------------------------------------------------------------------

    void ambiguousInputNamesTheCandidates()
    {
        // Both a LangSmith run (run_type, parent_run_id) and a Langfuse observation (startTime,
        // traceId, type): too close to call.
        const QByteArray data = R"({"id":"x","run_type":"llm","parent_run_id":null,"trace_id":"t","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z","name":"n","startTime":"2025-01-01T00:00:00Z","traceId":"t","type":"GENERATION"})";
        Collected out;
        ImportOptions options;
        options.displayName = QStringLiteral("mixed.json");
        const ImportResult r = importBytes(data, QStringLiteral("mixed.json"), out.sink(), options);
        QCOMPARE(r.stats.errors, 1);
        QVERIFY(out.spans.isEmpty());
        const QString reason = r.issues.first().reason;
        QVERIFY2(reason.contains("langsmith") && reason.contains("langfuse") && reason.contains("--format"), qPrintable(reason));
        QVERIFY(r.issues.first().toString().startsWith("mixed.json: "));
        // --format settles it.
        options.forcedFormat = QStringLiteral("langsmith");
        Collected forced;
        const ImportResult f = importBytes(data, QStringLiteral("mixed.json"), forced.sink(), options);
        QCOMPARE(f.format, QStringLiteral("langsmith"));
        QCOMPARE(forced.spans.size(), 1);
    }

    void wrongForcedFormatIsAnErrorNotACrash_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addRow("jaeger as zipkin") << "samples/jaeger-ui_01-single-trace.json" << "zipkin";
        QTest::addRow("zipkin as langfuse") << "samples/zipkin-v2-listofspans-from-zipkin2-api-example.json" << "langfuse";
        QTest::addRow("sse as portkey-logs") << "samples/portkey-gateway/run2-log-stream-raw.sse" << "portkey-logs";
        QTest::addRow("otlp as langsmith") << "samples/otlp-trace.json" << "langsmith";
        QTest::addRow("langsmith as portkey-hooks") << "samples/langsmith-runs-batch-py_wrap_openai.json" << "portkey-hooks";
        QTest::addRow("binary as jaeger") << "samples/otlp-genai-sdk-generated.binpb" << "jaeger";
    }
    void wrongForcedFormatIsAnErrorNotACrash()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        ImportOptions options;
        options.forcedFormat = format;
        Collected out;
        const ImportResult r = importPath(dataPath(file), out, options);
        QCOMPARE(r.format, format);
        QVERIFY(r.stats.errors > 0 || out.spans.isEmpty());
        for (const ImportIssue &i : r.issues)
            QVERIFY(!i.reason.isEmpty());
    }

    void notVendorFormats_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addRow("array of numbers") << QByteArray("[1, 2, 3]");
        QTest::addRow("object without known keys") << QByteArray(R"({"hello": "world", "n": 1})");
        QTest::addRow("array of unrelated objects") << QByteArray(R"([{"a": 1}, {"b": 2}])");
        QTest::addRow("csv without portkey columns") << QByteArray("name,age\nalice,3\n");
        QTest::addRow("plain text") << QByteArray("event horizon\n");
    }
    void notVendorFormats()
    {
        QFETCH(QByteArray, data);
        Collected out;
        const ImportResult r = importData(data, out);
        QVERIFY(out.spans.isEmpty());
        QCOMPARE(r.stats.errors, 1);
        QVERIFY2(r.issues.first().reason.contains("not a supported trace format"), qPrintable(r.issues.first().reason));
    }

    // ---- Jaeger --------------------------------------------------------------------------------

    // Invalid UTF-8 early in a one-line vendor document: detected and read as one document (not
    // as JSON lines because the shape probe stopped at the bad byte), the byte becomes U+FFFD.
    void invalidUtf8InAOneLineVendorDocument()
    {
        const QByteArray doc = "{\"data\":[{\"traceID\":\"0af7651916cd43dd\",\"spans\":[{\"traceID\":\"0af7651916cd43dd\","
                               "\"spanID\":\"b7ad6b7169203331\",\"operationName\":\"bad \xff op\",\"startTime\":1000,"
                               "\"duration\":5,\"references\":[],\"tags\":[],\"logs\":[],\"processID\":\"p1\"}],"
                               "\"processes\":{\"p1\":{\"serviceName\":\"s\",\"tags\":[]}}}]}";
        Collected out;
        const ImportResult r = importData(doc, out);
        QCOMPARE(r.format, QStringLiteral("jaeger"));
        QCOMPARE(r.stats.errors, 0);
        QCOMPARE(r.stats.warnings, 1);
        QCOMPARE(out.spans.size(), 1);
        QCOMPARE(out.spans[0].name, QString(QStringLiteral("bad ") + QChar(0xFFFD) + QStringLiteral(" op")));
    }

    void jaegerTagsLogsReferencesProcesses()
    {
        const Imported r = importNormalized(dataPath("samples/jaeger-ui_01-single-trace.json"));
        QCOMPARE(r.spans.size(), 5);
        // Duplicate span ids are handed over as they come (the store keeps one).
        QCOMPARE(spanNames(r.spans), (QStringList{"test-general-conversion", "some-operation", "some-operation", "reference-test",
                                                  "preserveParentID-test"}));
        const Span &first = r.spans[0];
        QCOMPARE(first.startNs, 1485467191639875000LL);
        QCOMPARE(first.endNs, 1485467191639875000LL + 5000);
        QCOMPARE(first.serviceName, QStringLiteral("service-x"));
        QCOMPARE(first.resourceAttributes.first().key, QStringLiteral("service.name"));
        QCOMPARE(first.events.size(), 2);
        QCOMPARE(first.events[0].name, QStringLiteral("some-event"));   // the "event" field names it
        QVERIFY(first.events[0].attributes.isEmpty());
        QCOMPARE(first.events[1].name, QStringLiteral("log"));
        QCOMPARE(attributeValue(first.events[1].attributes, u"x"), QVariant(QStringLiteral("y")));

        const Span &tagged = r.spans[1];
        QCOMPARE(tagged.status, StatusCode::Error);   // error=true
        compareAttributes(tagged.attributes,
                          Attributes{{"peer.service", QStringLiteral("service-y")},
                                     {"peer.ipv4", qint64(23456)},
                                     {"error", true},
                                     {"temperature", 72.5},
                                     {"javascript_limit", qint64(9223372036854775222LL)},
                                     {"blob", QByteArray::fromBase64("AAAwOQ==")}},
                          "tags");

        const Span &refs = r.spans[3];
        QCOMPARE(refs.parentSpanId, QStringLiteral("0000000000000002"));
        QCOMPARE(refs.links.size(), 2);   // the other trace's CHILD_OF and the FOLLOWS_FROM
        QCOMPARE(refs.links[0].traceId, QStringLiteral("00000000000000ff"));
        QCOMPARE(attributeValue(refs.links[0].attributes, u"opentracing.ref_type"), QVariant(QStringLiteral("child_of")));
        QCOMPARE(attributeValue(refs.links[1].attributes, u"opentracing.ref_type"), QVariant(QStringLiteral("follows_from")));
        QCOMPARE(attr(refs, "jaeger.warnings"), QVariant(QVariantList{QStringLiteral("some span warning")}));
        QCOMPARE(refs.serviceName, QStringLiteral("service-y"));
        // The trace's warnings are reported.
        QVERIFY(reasons(r.result, ImportIssue::Severity::Warning).join('\n').contains("some trace warning"));
    }

    void jaegerUnpaddedIdsAndKinds()
    {
        const Imported r = importNormalized(dataPath("vendor/jaeger-unpadded-follows-from.json"));
        QCOMPARE(r.spans.size(), 4);
        const Span *root = spanById(r.spans, "0000000000000001");
        QVERIFY(root);
        QCOMPARE(root->traceId, QStringLiteral("0000000000000abc"));
        QCOMPARE(root->otelKind, 2);
        QCOMPARE(attr(*root, "http.status_code"), QVariant(qint64(200)));
        QCOMPARE(attr(*root, "sampler.param"), QVariant(true));   // "true" with type bool
        QCOMPARE(root->events.first().name, QStringLiteral("cache miss"));
        QCOMPARE(root->events.first().timeNs, 1700000000100000000LL);
        QCOMPARE(attributeValue(root->resourceAttributes, u"hostname"), QVariant(QStringLiteral("web-1")));
        const Span *producer = spanById(r.spans, "0000000000000002");
        QCOMPARE(producer->otelKind, 4);
        QCOMPARE(attr(*producer, "jaeger.flags"), QVariant(qint64(1)));
        QCOMPARE(attr(*producer, "payload").typeId(), int(QMetaType::QByteArray));
        const Span *consumer = spanById(r.spans, "0000000000000003");
        QCOMPARE(consumer->otelKind, 5);
        QCOMPARE(consumer->parentSpanId, QStringLiteral("0000000000000002"));   // FOLLOWS_FROM as the only reference
        QVERIFY(consumer->links.isEmpty());
        QCOMPARE(consumer->status, StatusCode::Error);
        QCOMPARE(consumer->statusMessage, QStringLiteral("job failed"));
        QCOMPARE(attr(*consumer, "retries"), QVariant(2.5));   // float64 given as a string
        QCOMPARE(spanById(r.spans, "0000000000000004")->parentSpanId, QStringLiteral("0000000000000099"));
        // The query's errors[] are reported, with the file and position.
        const QStringList warnings = reasons(r.result, ImportIssue::Severity::Warning);
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.first().contains("storage partially unavailable"));
    }

    // ---- Zipkin --------------------------------------------------------------------------------

    void zipkinSharedSpansAndEndpoints()
    {
        const Imported r = importNormalized(dataPath("vendor/zipkin-shared-missing-parent.json"));
        QCOMPARE(r.spans.size(), 4);
        const Span *server = spanById(r.spans, "b7ad6b7169203331");
        QVERIFY(server);
        QCOMPARE(attr(*server, "zipkin.shared"), QVariant(true));
        QCOMPARE(server->serviceName, QStringLiteral("orders"));
        QCOMPARE(server->otelKind, 2);
        QCOMPARE(server->status, StatusCode::Error);
        QCOMPARE(attr(*server, "http.path"), QVariant(QStringLiteral("/orders")));
        const Span *client = spanById(r.spans, server->parentSpanId);
        QVERIFY(client);
        QVERIFY(client->spanId != server->spanId);
        QCOMPARE(attr(*client, "zipkin.id"), QVariant(QStringLiteral("b7ad6b7169203331")));
        QCOMPARE(client->parentSpanId, QStringLiteral("a2fb4a1d1a96d312"));
        QCOMPARE(client->otelKind, 3);
        QCOMPARE(attr(*client, "zipkin.remoteEndpoint.serviceName"), QVariant(QStringLiteral("orders")));
        QCOMPARE(attr(*client, "zipkin.remoteEndpoint.port"), QVariant(qint64(8080)));
        QCOMPARE(client->events.size(), 1);
        QCOMPARE(client->events[0].name, QStringLiteral("ws"));
        QCOMPARE(client->events[0].timeNs, 1700000000001500000LL);
        const Span *root = spanById(r.spans, "a2fb4a1d1a96d312");
        QVERIFY(root->parentSpanId.isEmpty());
        QCOMPARE(attr(*root, "zipkin.localEndpoint.ipv4"), QVariant(QStringLiteral("10.0.0.1")));
        QCOMPARE(root->endNs - root->startNs, 30000000LL);
        QCOMPARE(attr(*spanById(r.spans, "c0ffee0000000001"), "zipkin.debug"), QVariant(true));
        // The derived id is stable.
        QCOMPARE(importNormalized(dataPath("vendor/zipkin-shared-missing-parent.json")).spans.size(), 4);
        QCOMPARE(spanById(importNormalized(dataPath("vendor/zipkin-shared-missing-parent.json")).spans, client->spanId)->name, QStringLiteral("get"));
    }

    // ---- Langfuse ------------------------------------------------------------------------------

    void langfuseUpdatesMergeIntoCreates()
    {
        const Imported r = importNormalized(dataPath("vendor/langfuse-updates-offsets.json"));
        const Span *gen = spanById(r.spans, "gen-7");
        QVERIFY(gen);
        QCOMPARE(gen->kind, SpanKind::Llm);
        // ISO-8601 with fractions and offsets: 09:00:00.250Z start, 10:00:02.750+01:00 end (update).
        QCOMPARE(gen->startNs, *timestamps::parseIso8601(std::string_view("2026-03-01T09:00:00.250Z")));
        QCOMPARE(gen->endNs - gen->startNs, 2500000000LL);
        QCOMPARE(gen->requestModel, QStringLiteral("gpt-4o"));
        QCOMPARE(gen->parameters.value("temperature"), QVariant(qint64(0)));
        // usageDetails buckets: 90 input + 10 cached = 100 input tokens, 10 of them cached.
        QCOMPARE(gen->tokens.input, 100);
        QCOMPARE(gen->tokens.cachedInput, 10);
        QCOMPARE(gen->tokens.output, 20);
        QCOMPARE(gen->tokens.total, 120);
        QCOMPARE(gen->cost.source, CostSource::Reported);
        QVERIFY(qAbs(gen->cost.inputUsd - 0.00091) < 1e-12);
        QVERIFY(qAbs(gen->cost.outputUsd - 0.0004) < 1e-12);
        QVERIFY(qAbs(gen->cost.totalUsd - 0.00131) < 1e-12);
        // The update's output: a tool call.
        QCOMPARE(gen->outputMessages.size(), 1);
        QCOMPARE(gen->outputMessages[0].toolCalls.size(), 1);
        QCOMPARE(gen->outputMessages[0].toolCalls[0].name, QStringLiteral("search"));
        QCOMPARE(gen->outputMessages[0].toolCalls[0].id, QStringLiteral("call_1"));
        QCOMPARE(gen->inputMessages.size(), 1);
        QCOMPARE(gen->inputMessages[0].content, QStringLiteral("Find me a flight"));
        // Metadata merged key by key, the update winning.
        QCOMPARE(gen->metadata.value("attempt"), QVariant(qint64(2)));
        QCOMPARE(gen->metadata.value("prompt"), QVariant(QStringLiteral("v3")));
        // The score lands on its observation.
        const SpanEvent *score = eventNamed(*gen, "langfuse.score");
        QVERIFY(score);
        QCOMPARE(attributeValue(score->attributes, u"value"), QVariant(0.8));

        const Span *root = spanById(r.spans, "t-offsets");
        QCOMPARE(root->kind, SpanKind::Chain);
        QCOMPARE(root->userId, QStringLiteral("bob"));
        QCOMPARE(root->sessionId, QStringLiteral("sess-9"));
        QCOMPARE(root->tags, (QStringList{"prod", "agents"}));
        QCOMPARE(root->metadata.value("region"), QVariant(QStringLiteral("eu")));
        QCOMPARE(attr(*root, "langfuse.trace.release"), QVariant(QStringLiteral("v1.2.3")));
        QCOMPARE(root->startNs, *timestamps::parseIso8601(std::string_view("2026-03-01T09:00:00Z")));
        // The root reaches the end of its last observation.
        QCOMPARE(root->endNs, spanById(r.spans, "span-root")->endNs);

        const Span *event = spanById(r.spans, "ev-1");
        QCOMPARE(event->startNs, *timestamps::parseIso8601(std::string_view("2026-03-01T09:00:01Z")));   // -05:00 offset
        QCOMPARE(event->endNs, event->startNs);   // an event is a point in time
        QCOMPARE(attr(*event, "langfuse.observation.type"), QVariant(QStringLiteral("EVENT")));
        QCOMPARE(event->output.value, QStringLiteral("hit"));
        const Span *tool = spanById(r.spans, "tool-1");
        QCOMPARE(tool->kind, SpanKind::Tool);
        QCOMPARE(tool->toolName, QStringLiteral("search"));
        QCOMPARE(tool->status, StatusCode::Error);
        QCOMPARE(attr(*tool, "langfuse.observation.level"), QVariant(QStringLiteral("ERROR")));
    }

    void langfuseApiTrace()
    {
        const Imported r = importNormalized(dataPath("vendor/langfuse-api-trace.json"));
        const Span *root = spanById(r.spans, "9f7c3c3e2d1b4a5f8e6d7c6b5a4f3e2d");
        QVERIFY(root);
        QCOMPARE(root->input.value, QStringLiteral("{\"question\":\"What is our refund policy?\"}"));
        QCOMPARE(root->output.value, QStringLiteral("Refunds within 30 days."));
        QCOMPARE(root->output.mimeType, QStringLiteral("text/plain"));
        QCOMPARE(root->userId, QStringLiteral("u-17"));
        QVERIFY(root->sessionId.isEmpty());
        QCOMPARE(attr(*root, "langfuse.trace.totalCost"), QVariant(0.00042));   // kept raw, not counted twice
        QVERIFY(!root->cost.isKnown());
        QVERIFY(eventNamed(*root, "langfuse.score"));
        const Span *agent = spanById(r.spans, "a1b2c3d4e5f60718");
        QCOMPARE(agent->kind, SpanKind::Agent);
        QVERIFY(agent->tokens.isEmpty());   // Langfuse's zero usage on a non-model observation
        QVERIFY(!agent->cost.isKnown());
        const Span *gen = spanById(r.spans, "c1b2c3d4e5f60718");
        QCOMPARE(gen->status, StatusCode::Unset);   // WARNING is not an error
        QCOMPARE(gen->statusMessage, QStringLiteral("truncated context"));
        QCOMPARE(gen->parameters.value("max_tokens"), QVariant(QStringLiteral("256")));
        QCOMPARE(gen->inputMessages.size(), 2);
        QCOMPARE(gen->inputMessages[1].content, QStringLiteral("What is our refund policy?"));   // content blocks
        QCOMPARE(gen->outputMessages.size(), 1);
        QCOMPARE(gen->outputMessages[0].finishReason, QStringLiteral("end_turn"));
        QVERIFY(qAbs(gen->cost.inputUsd - 0.0003) < 1e-12);
        QCOMPARE(attr(*gen, "langfuse.observation.promptName"), QVariant(QStringLiteral("rag")));
        QCOMPARE(attr(*gen, "langfuse.observation.completionStartTime"), QVariant(QStringLiteral("2025-06-01T12:00:00.500Z")));
        QCOMPARE(spanById(r.spans, "b1b2c3d4e5f60718")->kind, SpanKind::Retriever);
        const Span *event = spanById(r.spans, "d1b2c3d4e5f60718");
        QCOMPARE(event->endNs, event->startNs);
    }

    // ---- LangSmith -----------------------------------------------------------------------------

    void langsmithDottedOrderAndPatches()
    {
        const Imported r = importNormalized(dataPath("vendor/langsmith-dotted-order-patches.jsonl"));
        const QString a = "1c0e1d2f-0000-4000-8000-00000000000a", b = "1c0e1d2f-0000-4000-8000-00000000000b",
                      c = "1c0e1d2f-0000-4000-8000-00000000000c", d = "1c0e1d2f-0000-4000-8000-00000000000d";
        const Span *root = spanById(r.spans, a);
        QVERIFY(root);
        // The patch line completed it: end time, outputs, metadata merged.
        QCOMPARE(root->endNs - root->startNs, 2000000000LL);
        QCOMPARE(root->output.value, QStringLiteral("{\"answer\":\"Sunny, 21°C\"}"));
        QCOMPARE(root->userId, QStringLiteral("carol"));
        QCOMPARE(root->sessionId, QStringLiteral("thread-5"));
        QCOMPARE(root->serviceName, QStringLiteral("weather-prod"));
        QCOMPARE(root->tags, QStringList{"bot"});
        // Only dotted_order says where B sits and when it started.
        const Span *agent = spanById(r.spans, b);
        QCOMPARE(agent->traceId, a);
        QCOMPARE(agent->parentSpanId, a);
        QCOMPARE(agent->startNs, *timestamps::parseIso8601(std::string_view("2025-03-01T10:00:00.1Z")));
        QVERIFY(agent->tokens.isEmpty());   // a chain's tokens are the roll-up of its children
        QCOMPARE(attr(*agent, "langsmith.total_tokens"), QVariant(qint64(62)));
        const Span *llm = spanById(r.spans, c);
        QCOMPARE(llm->parentSpanId, b);
        QCOMPARE(llm->provider, QStringLiteral("openai"));
        QCOMPARE(llm->requestModel, QStringLiteral("gpt-4o"));
        QCOMPARE(llm->responseModel, QStringLiteral("gpt-4o-2024-08-06"));
        QCOMPARE(llm->parameters.value("temperature"), QVariant(0.1));
        QCOMPARE(llm->tokens.input, 50);
        QCOMPARE(llm->tokens.output, 12);
        QCOMPARE(llm->cost.source, CostSource::Reported);
        QVERIFY(qAbs(llm->cost.inputUsd - 0.000125) < 1e-12);
        QCOMPARE(llm->inputMessages.size(), 2);   // LangChain's serialised messages
        QCOMPARE(llm->inputMessages[0].role, QStringLiteral("system"));
        QCOMPARE(llm->inputMessages[1].role, QStringLiteral("user"));
        QCOMPARE(llm->inputMessages[1].content, QStringLiteral("weather in Paris?"));
        QCOMPARE(llm->outputMessages.size(), 1);
        QCOMPARE(llm->outputMessages[0].role, QStringLiteral("assistant"));
        QCOMPARE(llm->outputMessages[0].finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(llm->outputMessages[0].toolCalls.size(), 1);
        QCOMPARE(llm->outputMessages[0].toolCalls[0].name, QStringLiteral("get_weather"));
        QCOMPARE(llm->outputMessages[0].toolCalls[0].arguments, QStringLiteral("{\"city\":\"Paris\"}"));
        QCOMPARE(llm->events.size(), 2);
        QCOMPARE(llm->events[1].name, QStringLiteral("new_token"));
        const Span *tool = spanById(r.spans, d);
        QCOMPARE(tool->kind, SpanKind::Tool);
        QCOMPARE(tool->toolName, QStringLiteral("get_weather"));
        QCOMPARE(tool->status, StatusCode::Error);
        const SpanEvent *exception = eventNamed(*tool, "exception");
        QVERIFY(exception);
        QCOMPARE(exception->exceptionType(), QStringLiteral("ValueError"));
        QCOMPARE(exception->exceptionMessage(), QStringLiteral("ValueError('city not found')"));
        QVERIFY(exception->exceptionStacktrace().contains("Traceback"));
        QCOMPARE(exception->timeNs, tool->endNs);
    }

    void langsmithSampleKeepsRawFields()
    {
        const Imported r = importNormalized(dataPath("samples/langsmith-runs-batch-py_wrap_openai.json"));
        QCOMPARE(r.spans.size(), 1);
        const Span &s = r.spans[0];
        QCOMPARE(s.startNs, 1728680303298773000LL);
        QCOMPARE(s.endNs, 1728680304417106000LL);   // from the patch
        QCOMPARE(s.tokens.cachedInput, 0);
        QCOMPARE(s.tokens.reasoning, 0);
        QCOMPARE(s.outputMessages.value(0).content, QStringLiteral("Howdy! How can I assist you today?"));
        QCOMPARE(s.metadata.value("ls_model_type"), QVariant(QStringLiteral("chat")));
        QVERIFY(attr(s, "langsmith.serialized").toString().contains("ChatOpenAI"));
        QVERIFY(attr(s, "langsmith.extra.runtime").toString().contains("langsmith-py"));
        QCOMPARE(attr(s, "langsmith.dotted_order"), QVariant(QStringLiteral("20241011T205823298773Zd0d84d31-923d-4cb5-94a8-40a0a0087578")));
    }

    // ---- Portkey -------------------------------------------------------------------------------

    void portkeyFallbackAttempts()
    {
        const Imported r = importNormalized(dataPath("vendor/portkey-sse-retries.sse"));
        QCOMPARE(r.spans.size(), 4);
        const Span &root = r.spans[0];
        QCOMPARE(root.endNs - root.startNs, 2600000000LL);
        QCOMPARE(root.status, StatusCode::Ok);
        QCOMPARE(attr(root, "http.response.status_code"), QVariant(qint64(200)));
        QCOMPARE(attr(root, "portkey.targets"), QVariant(qint64(3)));
        const Span &azure = r.spans[2];
        QCOMPARE(azure.provider, QStringLiteral("azure-openai"));
        QCOMPARE(attr(azure, "portkey.retry.attempts"), QVariant(qint64(2)));
        QCOMPARE(attr(azure, "portkey.target_index"), QVariant(qint64(1)));
        QCOMPARE(azure.endNs - azure.startNs, 1500000000LL);
        const Span &ok = r.spans[3];
        QCOMPARE(ok.tokens.cachedInput, 32);
        QCOMPARE(ok.outputMessages.value(0).content, QStringLiteral("Day 1: Lisbon"));
        QCOMPARE(ok.parameters.value("max_tokens"), QVariant(qint64(100)));
        QCOMPARE(ok.operation, QStringLiteral("chat"));
        // The broken event is reported with its line; the good one is kept.
        const QList<ImportIssue> errs = errors(r.result);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].line, 16);
        QVERIFY(errs[0].toString().contains("portkey-sse-retries.sse:line 16: "));
        // No key in any form survives.
        for (const Span &s : r.spans) {
            for (const char *secret : {"abcdefghijklmnopqrstuv", "azure-key-0123456789", "0123456789abcdef"})
                QVERIFY2(!anyTextContains(s, QString::fromLatin1(secret)), secret);
        }
    }

    void portkeyLogMappingIsStableAndShared()
    {
        QFile f(dataPath("samples/portkey-gateway/run3-port8790-log-stream-raw.sse"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray data;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("data: {"))
                data = line.mid(6).trimmed();
        }
        SpanList a, b;
        QString error;
        QVERIFY(portkeyLogToSpans(data, a, &error));
        QVERIFY(portkeyLogToSpans(data, b, &error));
        QCOMPARE(a.size(), 2);
        QCOMPARE(a[0].traceId, b[0].traceId);
        QCOMPARE(a[1].spanId, b[1].spanId);
        // The importer gives the same ids.
        const Imported imported = importNormalized(f.fileName());
        QCOMPARE(imported.spans[0].traceId, a[0].traceId);
        QVERIFY(!anyTextContains(a[1], "sk-mock"));
        SpanList kept;
        QVERIFY(portkeyLogToSpans(data, kept, nullptr, /*keepSecrets=*/true));
        QVERIFY(anyTextContains(kept[1], "sk-mock"));
        SpanList none;
        QVERIFY(!portkeyLogToSpans("pulse", none, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!portkeyLogToSpans(R"({"time":"x"})", none, &error));
        QVERIFY(error.contains("requestOptions"));
        QVERIFY(!portkeyLogToSpans(QByteArray(5000, '['), none, &error));
        QVERIFY(none.isEmpty());
    }

    void portkeyHooksTreeAndTimes()
    {
        const Imported r = importNormalized(dataPath("samples/portkey-gateway/hook-posts.jsonl"));
        const Span &third = r.spans[2];
        QCOMPARE(third.spanId, QStringLiteral("span-b"));
        QCOMPARE(third.parentSpanId, QStringLiteral("span-a"));
        QCOMPARE(third.startNs, *timestamps::parseIso8601(std::string_view("2026-11-25T02:40:07.039Z")));
        QCOMPARE(attr(third, "http.request.header.authorization"), QVariant(QStringLiteral("Bearer [REDACTED]")));
        QCOMPARE(attr(third, "http.request.header.traceparent"), QVariant(QStringLiteral("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
        const Span &first = r.spans[0];
        QCOMPARE(first.userId, QStringLiteral("alice"));
        QCOMPARE(first.sessionId, QStringLiteral("s-42"));
        QCOMPARE(first.parameters.value("temperature"), QVariant(0.3));
        QCOMPARE(first.provider, QStringLiteral("openai"));
        QVERIFY(!anyTextContains(first, "\"sk-mock\""));
        // traceparent alone builds the tree.
        const QByteArray w3c = R"({"received_at":"2026-01-01T00:00:00Z","body":{"request":{"json":{"model":"m"},"headers":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}},"response":{"json":null,"statusCode":500,"text":""},"provider":"openai","requestType":"chatComplete"}})";
        const Imported t = importNormalizedBytes(w3c, "w3c.jsonl");
        QCOMPARE(t.spans.size(), 1);
        QCOMPARE(t.spans[0].traceId, QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(t.spans[0].parentSpanId, QStringLiteral("00f067aa0ba902b7"));
        QCOMPARE(t.spans[0].status, StatusCode::Error);
    }

    void portkeyCsvAndJsonLinesAgree()
    {
        const Imported csv = importNormalized(dataPath("vendor/portkey-logs.csv"));
        const Imported jsonl = importNormalized(dataPath("vendor/portkey-logs.jsonl"));
        QCOMPARE(csv.spans.size(), 3);
        QCOMPARE(jsonl.spans.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const Span &a = csv.spans[i], &b = jsonl.spans[i];
            QCOMPARE(a.traceId, b.traceId);
            QCOMPARE(a.spanId, b.spanId);
            QCOMPARE(a.startNs, b.startNs);
            QCOMPARE(a.endNs, b.endNs);
            QCOMPARE(a.status, b.status);
            QCOMPARE(a.tokens, b.tokens);
            QCOMPARE(a.cost, b.cost);
            QCOMPARE(a.model(), b.model());
            QCOMPARE(a.inputMessages, b.inputMessages);
            QCOMPARE(a.userId, b.userId);
        }
        // CSV quoting: commas, doubled quotes and a line break inside fields.
        QCOMPARE(attr(csv.spans[1], "portkey.mode"), QVariant(QStringLiteral("fallback\nafter \"overloaded\", tried next")));
        QCOMPARE(csv.spans[0].outputMessages.value(0).content, QStringLiteral("Hello!\nSecond line, with \"quotes\""));
        QCOMPARE(csv.spans[0].inputMessages.value(0).content, QStringLiteral("Hi, there"));
        QCOMPARE(csv.spans[0].sessionId, QStringLiteral("s-77"));
        QCOMPARE(csv.spans[0].metadata.value("env"), QVariant(QStringLiteral("prod")));
        QCOMPARE(csv.spans[0].parameters.value("temperature"), QVariant(0.5));
        QVERIFY(qAbs(csv.spans[0].cost.totalUsd - 0.000032) < 1e-15);   // 0.0032 cents
        QCOMPARE(attr(csv.spans[0], "http.response.status_code"), QVariant(qint64(200)));
    }

    void csvRowWithMissingFieldsIsAWarning()
    {
        const QByteArray data = "id,trace_id,created_at,ai_model,ai_org,is_success,response_time\n"
                                "a,t,2025-01-01T00:00:00Z,gpt-4o,openai,1,10\n"
                                "b,t,2025-01-01T00:00:01Z\n"
                                "\"c\",t,\"2025-01-01T00:00:02Z\",gpt-4o,openai,0,\"5\"\n";
        const Imported r = importNormalizedBytes(data, "rows.csv");
        QCOMPARE(r.result.format, QStringLiteral("portkey-logs"));
        QCOMPARE(r.spans.size(), 3);
        QCOMPARE(r.result.stats.warnings, 1);
        QCOMPARE(r.result.issues.first().line, 3);
        QCOMPARE(r.spans[2].status, StatusCode::Error);
        QCOMPARE(r.spans[2].endNs - r.spans[2].startNs, 5000000LL);
    }

    // ---- streaming, positions ------------------------------------------------------------------

    void largeRunArrayStreams()
    {
        // 20,000 complete runs in one JSON array: handed over in batches while reading.
        QByteArray data = "[";
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            if (i)
                data += ",\n";
            data += "{\"id\":\"run-" + QByteArray::number(i) + "\",\"trace_id\":\"t-" + QByteArray::number(i / 10)
                + "\",\"name\":\"step\",\"run_type\":\"chain\",\"start_time\":\"2025-01-01T00:00:00Z\",\"end_time\":\"2025-01-01T00:00:01Z\","
                  "\"inputs\":{\"i\":" + QByteArray::number(i) + "}}";
        }
        data += "]";
        Collected out;
        ImportOptions options;
        options.batchSize = 1000;
        const ImportResult r = importBytes(data, "runs.json", out.sink(), options);
        QCOMPARE(r.format, QStringLiteral("langsmith"));
        QCOMPARE(r.stats.errors, 0);
        QCOMPARE(out.spans.size(), n);
        QCOMPARE(out.batchSizes.size(), n / 1000);
    }

    void badElementsArePositionedAndSkipped()
    {
        // Element 2 has no id (skipped, with its byte offset); the others are kept.
        const QByteArray data = R"([{"id":"a","run_type":"chain","name":"one","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z"},
 {"run_type":"chain","name":"nameless"},
 {"id":"c","run_type":"tool","name":"three","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z"}])";
        const Imported r = importNormalizedBytes(data, "runs.json");
        QCOMPARE(r.spans.size(), 2);
        QCOMPARE(r.result.stats.skippedSpans, 1);
        const QList<ImportIssue> errs = errors(r.result);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].offset, data.indexOf("{\"run_type\""));
        QVERIFY(errs[0].reason.contains("nameless"));
    }

    void syntaxErrorKeepsEarlierElements()
    {
        QByteArray data = readFile(dataPath("vendor/zipkin-traces-nested.json"));
        const qsizetype cut = data.indexOf("\"second child\"");
        data = data.left(cut) + "\"second child\" oops";
        const Imported r = importNormalizedBytes(data, "broken.json");
        QCOMPARE(r.result.format, QStringLiteral("zipkin"));
        QCOMPARE(r.spans.size(), 1);   // the first trace; the second was cut
        const QList<ImportIssue> errs = errors(r.result);
        QCOMPARE(errs.size(), 1);
        QVERIFY(errs[0].offset >= cut && errs[0].offset <= data.size());
        QVERIFY2(errs[0].reason.contains("element"), qPrintable(errs[0].reason));
    }

    void brokenJsonLineIsSkipped()
    {
        QByteArray data = readFile(dataPath("vendor/langsmith-dotted-order-patches.jsonl"));
        QList<QByteArray> rows = data.split('\n');
        rows[3] = rows[3].left(40);   // the tool run, cut short
        const Imported r = importNormalizedBytes(rows.join('\n'), "runs.jsonl");
        QCOMPARE(r.spans.size(), 3);
        const QList<ImportIssue> errs = errors(r.result);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].line, 4);
        QVERIFY(errs[0].toString().startsWith("runs.jsonl:line 4: "));
    }

    void cancellationStops()
    {
        std::atomic_bool cancel = true;
        ImportOptions options;
        options.cancel = &cancel;
        Collected out;
        const ImportResult r = importPath(dataPath("vendor/langfuse-api-trace.json"), out, options);
        QVERIFY(r.cancelled);
        QVERIFY(out.spans.isEmpty());
    }

    // ---- timestamps ----------------------------------------------------------------------------

    void isoTimestamps_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");
        const qint64 base = 1740823200LL * 1000000000;   // 2025-03-01T10:00:00Z
        QTest::addRow("Z") << "2025-03-01T10:00:00Z" << base;
        QTest::addRow("fraction ms") << "2025-03-01T10:00:00.123Z" << base + 123000000;
        QTest::addRow("fraction us, +00:00") << "2025-03-01T10:00:00.123456+00:00" << base + 123456000;
        QTest::addRow("fraction ns") << "2025-03-01T10:00:00.123456789Z" << base + 123456789;
        QTest::addRow("more than 9 digits cut") << "2025-03-01T10:00:00.1234567891Z" << base + 123456789;
        QTest::addRow("+02:00") << "2025-03-01T12:00:00+02:00" << base;
        QTest::addRow("-0530") << "2025-03-01T04:30:00-0530" << base;
        QTest::addRow("+01") << "2025-03-01T11:00:00+01" << base;
        QTest::addRow("no zone is UTC") << "2025-03-01T10:00:00" << base;
        QTest::addRow("space separator") << "2025-03-01 10:00:00" << base;
        QTest::addRow("no seconds") << "2025-03-01T10:00Z" << base;
        QTest::addRow("date only") << "2025-03-01" << base - 10 * 3600 * 1000000000LL;
        QTest::addRow("leap day") << "2024-02-29T00:00:00Z" << 1709164800LL * 1000000000;
        QTest::addRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
    }
    void isoTimestamps()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const std::optional<qint64> t = timestamps::parseIso8601(QStringView(text));
        QVERIFY(t);
        QCOMPARE(*t, ns);
    }

    void badTimestamps()
    {
        for (const char *bad : {"", "2025-13-01T00:00:00Z", "2025-02-30", "2025-03-01T25:00:00Z", "yesterday", "2025-03-01T10:00:00+25:00",
                                "2025-03-01T10:00:00.Z", "2025-03-01T10:00:00Zjunk", "99999-01-01"})
            QVERIFY2(!timestamps::parseIso8601(std::string_view(bad)), bad);
        QCOMPARE(*timestamps::parseCompactStamp("20241011T205823298773Z"), 1728680303298773000LL);
        QVERIFY(!timestamps::parseCompactStamp("20241011T205823Z"));
        QCOMPARE(*timestamps::epochToNs(1740823200), 1740823200000000000LL);
        QCOMPARE(*timestamps::epochToNs(1740823200123.0), 1740823200123000000LL);
        QCOMPARE(*timestamps::epochToNs(1740823200123456.0), 1740823200123456000LL);
        QCOMPARE(timestamps::toIso8601(1740823200123000000LL), QStringLiteral("2025-03-01T10:00:00.123Z"));
        QCOMPARE(timestamps::toIso8601(1740823200000000001LL), QStringLiteral("2025-03-01T10:00:00.000000001Z"));
    }

    // ---- robustness ----------------------------------------------------------------------------

    void damagedInputsNeverCrash_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : allFixtures())
            QTest::addRow("%s", qPrintable(QDir(dataPath(QString())).relativeFilePath(f))) << f;
    }
    void damagedInputsNeverCrash()
    {
        QFETCH(QString, file);
        const QByteArray original = readFile(file);
        QRandomGenerator random(0x5eed + quint32(original.size()));
        const QString name = QFileInfo(file).fileName();
        auto check = [&](const QByteArray &data, const char *what, qint64 where) {
            Collected out;
            ImportOptions options;
            options.displayName = name;
            const ImportResult r = importBytes(data, name, out.sink(), options);
            QCOMPARE(r.stats.spans, qint64(out.spans.size()));
            // Either a clean import or errors that say where and why.
            for (const ImportIssue &issue : r.issues) {
                QVERIFY2(issue.file == name && !issue.reason.isEmpty(),
                         qPrintable(QStringLiteral("%1 at %2: %3").arg(QLatin1String(what)).arg(where).arg(issue.toString())));
            }
            if (r.stats.errors == 0)
                QVERIFY(r.ok());
        };
        for (int i = 0; i < 40 && !QTest::currentTestFailed(); ++i) {
            const qint64 cut = random.bounded(qint64(original.size()) + 1);
            check(original.left(cut), "truncated", cut);
        }
        for (int i = 0; i < 40 && !QTest::currentTestFailed(); ++i) {
            QByteArray damaged = original;
            const int flips = 1 + random.bounded(4);
            qint64 at = 0;
            for (int k = 0; k < flips && !damaged.isEmpty(); ++k) {
                at = random.bounded(qint64(damaged.size()));
                damaged[at] = char(random.bounded(256));
            }
            check(damaged, "flipped", at);
        }
    }
};

QTEST_GUILESS_MAIN(TestVendorImporters)
#include "tst_vendorimporters.moc"
