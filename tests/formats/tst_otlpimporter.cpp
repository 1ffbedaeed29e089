#include "testhelpers.h"

#include "formats/importer.h"
#include "formats/jsonreplay.h"
#include "formats/stringinterner.h"
#include "trace/trace.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace spanscope;
using namespace spanscope::test;

namespace {

// A document with `count` spans of one trace, each with a `padding`-byte attribute.
QByteArray makeDocument(int count, int firstId = 0, int padding = 0, const QByteArray &service = "gen")
{
    QByteArray spans;
    for (int i = 0; i < count; ++i) {
        if (i)
            spans += ',';
        spans += "{\"traceId\":\"0000000000000000000000000000abcd\",\"spanId\":\""
            + QByteArray::number(firstId + i, 16).rightJustified(16, '0') + "\",\"name\":\"s"
            + QByteArray::number(firstId + i) + "\",\"startTimeUnixNano\":\"" + QByteArray::number(1000 + i)
            + "\",\"attributes\":[{\"key\":\"pad\",\"value\":{\"stringValue\":\"" + QByteArray(padding, 'x') + "\"}}]}";
    }
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
        + service + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"gen\"},\"spans\":[" + spans + "]}]}]}";
}

// Byte ranges [start, end) of each line (1-based index = line number - 1), for checking offsets.
QList<QPair<qint64, qint64>> lineRanges(const QByteArray &data)
{
    QList<QPair<qint64, qint64>> ranges;
    qint64 start = 0;
    for (qint64 i = 0; i <= data.size(); ++i) {
        if (i == data.size() || data[i] == '\n') {
            ranges.push_back({start, i});
            start = i + 1;
        }
    }
    return ranges;
}

// Imports `input` with simdjson's replay and with nlohmann alone (from memory, or from `file` when
// given) and compares spans, counts and messages.
void checkReplay(const QByteArray &input, const char *what, const QString &file = {})
{
    Collected replayed, parsed;
    ImportOptions options;
    options.displayName = QStringLiteral("input");
    if (!file.isEmpty())
        QVERIFY(writeFile(file, input));
    auto run = [&](Collected &out) { return file.isEmpty() ? importData(input, out, options) : importPath(file, out, options); };
    const ImportResult a = run(replayed);
    options.replayJson = false;
    const ImportResult b = run(parsed);
    QCOMPARE(a.format, b.format);
    QCOMPARE(a.stats.spans, b.stats.spans);
    QCOMPARE(a.stats.skippedSpans, b.stats.skippedSpans);
    QCOMPARE(a.stats.errors, b.stats.errors);
    QCOMPARE(a.stats.warnings, b.stats.warnings);
    QStringList issuesA, issuesB;
    for (const ImportIssue &i : a.issues)
        issuesA << QStringLiteral("%1 %2 %3: %4").arg(int(i.severity)).arg(i.offset).arg(i.line).arg(i.reason);
    for (const ImportIssue &i : b.issues)
        issuesB << QStringLiteral("%1 %2 %3: %4").arg(int(i.severity)).arg(i.offset).arg(i.line).arg(i.reason);
    if (issuesA != issuesB)
        qWarning("%s:\nreplayed:\n%s\nparsed:\n%s", what, qPrintable(issuesA.join(u'\n')), qPrintable(issuesB.join(u'\n')));
    QCOMPARE(issuesA, issuesB);
    compareSpanLists(replayed.spans, parsed.spans);
}

// `original` with 1 to maxEdits - 1 random edits: bytes overwritten, runs removed, JSON punctuation
// inserted, the rest cut off.
QByteArray mutated(const QByteArray &original, QRandomGenerator &random, int maxEdits)
{
    QByteArray data = original;
    for (int edits = int(random.bounded(1, maxEdits)); edits > 0 && !data.isEmpty(); --edits) {
        const qsizetype at = random.bounded(data.size());
        switch (random.bounded(4)) {
        case 0: data[at] = char(random.bounded(256)); break;
        case 1: data.remove(at, random.bounded(1, 40)); break;
        case 2: data.insert(at, char("{}[]\",:0\n"[random.bounded(10)])); break;
        case 3: data.truncate(at); break;
        }
    }
    return data;
}

Attributes attrs(std::initializer_list<std::pair<const char *, QVariant>> list)
{
    Attributes out;
    for (const auto &[k, v] : list)
        out.push_back(Attribute{QString::fromUtf8(k), v});
    return out;
}

} // namespace

class TestOtlpImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatNames()
    {
        QCOMPARE(importFormatNames(), (QStringList{"otlp-json", "otlp-jsonl", "otlp-proto", "jaeger", "zipkin", "langfuse", "langsmith",
                                                   "portkey-logs", "portkey-sse", "portkey-hooks"}));
    }

    void detection_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::addRow("otlp example") << "samples/otlp-trace.json" << "otlp-json" << 1;
        QTest::addRow("genai sdk json") << "samples/otlp-genai-sdk-generated.json" << "otlp-json" << 3;
        QTest::addRow("genai sdk protobuf") << "samples/otlp-genai-sdk-generated.binpb" << "otlp-proto" << 3;
        QTest::addRow("json lines") << "formats/jsonl-bad-line.jsonl" << "otlp-jsonl" << 6;
        QTest::addRow("snake case") << "formats/snake-case.json" << "otlp-json" << 1;
    }
    void detection()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, spans);
        Collected out;
        const ImportResult r = importPath(dataPath(file), out);
        QCOMPARE(r.format, format);
        QCOMPARE(out.spans.size(), spans);
        QCOMPARE(r.stats.spans, spans);
        QCOMPARE(r.file, dataPath(file));
    }

    void detectionIgnoresFileName()
    {
        // JSON lines content in a file called .binpb, protobuf in a file called .json.
        QTemporaryDir dir;
        const QString jsonl = dir.filePath("looks-like.binpb");
        const QString proto = dir.filePath("looks-like.json");
        QVERIFY(writeFile(jsonl, readFile(dataPath("formats/jsonl-bad-line.jsonl"))));
        QVERIFY(writeFile(proto, readFile(dataPath("samples/otlp-genai-sdk-generated.binpb"))));
        Collected a, b;
        QCOMPARE(importPath(jsonl, a).format, QStringLiteral("otlp-jsonl"));
        QCOMPARE(importPath(proto, b).format, QStringLiteral("otlp-proto"));
        QCOMPARE(b.spans.size(), 3);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("seen");
        const auto sample = [](const char *name) { return readFile(dataPath(QStringLiteral("samples/") + QLatin1String(name))); };
        QTest::addRow("openinference tool calls") << sample("openinference-genai-fixture-openinference_client_span_tool_calls.json")
                                                  << "a JSON object with the keys \"openinference.span.kind\"";
        QTest::addRow("otel genai attributes") << sample("openinference-genai-fixture-otel_genai_client_span_tool_calls.json")
                                               << "a JSON object with the keys \"input\"";
        QTest::addRow("deprecated genai attributes")
            << sample("openinference-genai-fixture-otel_genai_deprecated_client_span_tool_calls.json") << "a JSON object with the keys";
        QTest::addRow("empty") << QByteArray() << "no data";
        QTest::addRow("whitespace") << QByteArray(" \n\t\n") << "no data";
        QTest::addRow("array") << QByteArray("[1, 2, 3]") << "a JSON array";
        QTest::addRow("empty object") << QByteArray("{}") << "an empty JSON object";
        QTest::addRow("plain text") << QByteArray("hello, world\nsecond line\n") << "text starting with \"hello, world";
        QTest::addRow("binary") << QByteArray::fromHex("0001020304ff7f80") << "binary data that is not OTLP protobuf (it starts with 00 01 02";
        QTest::addRow("gzip of text") << gzip("just some text") << "(after gzip decompression)";
    }
    void rejected()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, seen);
        Collected out;
        ImportOptions options;
        options.displayName = QStringLiteral("input.dat");
        const ImportResult r = importData(data, out, options);
        QVERIFY(out.spans.isEmpty());
        QVERIFY(!r.ok());
        QCOMPARE(r.stats.errors, 1);
        QCOMPARE(r.issues.size(), 1);
        const ImportIssue &issue = r.issues.first();
        QCOMPARE(issue.file, QStringLiteral("input.dat"));
        QVERIFY2(issue.reason.contains(QStringLiteral("not a supported trace format")), qPrintable(issue.reason));
        QVERIFY2(issue.reason.contains(seen), qPrintable(issue.reason));
        QVERIFY2(issue.reason.contains(QStringLiteral("otlp-json, otlp-jsonl, otlp-proto")), qPrintable(issue.reason));
        QVERIFY(issue.toString().startsWith(QStringLiteral("input.dat")));
    }

    void brokenOtlpJson()
    {
        // Recognisably OTLP, but broken: reported as a syntax error at its position, not as "unknown".
        Collected out;
        const ImportResult r = importData("{\"resourceSpans\" 12}", out);
        QCOMPARE(r.format, QStringLiteral("otlp-json"));
        QCOMPARE(errors(r).size(), 1);
        // Within the unexpected token "12" (bytes 17-18).
        QVERIFY(errors(r).first().offset >= 17 && errors(r).first().offset <= 18);
        QVERIFY(errors(r).first().reason.contains(QStringLiteral("expected ':'")));
    }

    void missingFileAndUnknownFormat()
    {
        Collected out;
        ImportResult r = importPath(QStringLiteral("/nonexistent/dir/trace.json"), out);
        QCOMPARE(r.stats.errors, 1);
        QVERIFY(r.issues.first().toString().startsWith(QStringLiteral("/nonexistent/dir/trace.json: cannot open")));

        ImportOptions options;
        options.forcedFormat = QStringLiteral("zipkin-v3");
        r = importPath(dataPath("samples/otlp-trace.json"), out, options);
        QCOMPARE(r.stats.errors, 1);
        QVERIFY(r.issues.first().reason.contains(QStringLiteral("unknown format \"zipkin-v3\"")));
        QVERIFY(out.spans.isEmpty());
    }

    void forcedFormat()
    {
        // A compact single-line document reads as a document or as one line: both give the spans.
        const QByteArray doc = makeDocument(3);
        for (const char *format : {"otlp-json", "otlp-jsonl"}) {
            Collected out;
            ImportOptions options;
            options.forcedFormat = QString::fromLatin1(format);
            const ImportResult r = importData(doc, out, options);
            QCOMPARE(r.format, QString::fromLatin1(format));
            QCOMPARE(out.spans.size(), 3);
            QVERIFY(r.ok());
        }
        // Forcing the wrong format fails cleanly.
        Collected out;
        ImportOptions options;
        options.forcedFormat = QStringLiteral("otlp-proto");
        const ImportResult r = importData(doc, out, options);
        QVERIFY(out.spans.isEmpty());
        QVERIFY(r.stats.errors >= 1);
    }

    void otlpExample()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("samples/otlp-trace.json"), out);
        QVERIFY(r.ok());
        QCOMPARE(r.issues.size(), 0);
        QCOMPARE(out.spans.size(), 1);
        const Span &s = out.spans.first();
        QCOMPARE(s.traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(s.spanId, QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(s.parentSpanId, QStringLiteral("eee19b7ec3c1b173"));
        QCOMPARE(s.name, QStringLiteral("I'm a server span"));
        QCOMPARE(s.otelKind, 2);
        QCOMPARE(s.startNs, Q_INT64_C(1544712660000000000));
        QCOMPARE(s.endNs, Q_INT64_C(1544712661000000000));
        QCOMPARE(s.serviceName, QStringLiteral("my.service"));
        QCOMPARE(s.scopeName, QStringLiteral("my.library"));
        QCOMPARE(s.scopeVersion, QStringLiteral("1.0.0"));
        QCOMPARE(s.status, StatusCode::Unset);
        compareAttributes(s.attributes, attrs({{"my.span.attr", QStringLiteral("some value")}}), "attributes");
        compareAttributes(s.scopeAttributes, attrs({{"my.scope.attribute", QStringLiteral("some scope attribute")}}), "scope");
        compareAttributes(s.resourceAttributes, attrs({{"service.name", QStringLiteral("my.service")}}), "resource");
        // Raw spans only: LLM semantics are the semantic-convention mapper's job.
        QCOMPARE(s.kind, SpanKind::Span);
        QVERIFY(s.operation.isEmpty());
    }

    void genaiSample()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("samples/otlp-genai-sdk-generated.json"), out);
        QVERIFY(r.ok());
        QCOMPARE(spanNames(out.spans), (QStringList{"chat gpt-4o-mini", "execute_tool get_weather", "invoke_agent planner"}));
        const Span &chat = out.spans[0];
        QCOMPARE(chat.otelKind, 3);
        QCOMPARE(chat.parentSpanId, QStringLiteral("01c6b70a09304f21"));
        QCOMPARE(chat.endNs, Q_INT64_C(1795574651673246725));
        QCOMPARE(chat.attributes.size(), 11);
        QString why;
        QVERIFY2(sameValue(attributeValue(chat.attributes, u"gen_ai.request.max_tokens"), QVariant(qint64(50)), &why), qPrintable(why));
        QVERIFY2(sameValue(attributeValue(chat.attributes, u"gen_ai.request.temperature"), QVariant(0.2), &why), qPrintable(why));
        QVERIFY2(sameValue(attributeValue(chat.attributes, u"gen_ai.response.finish_reasons"), QVariantList{QStringLiteral("stop")}, &why),
                 qPrintable(why));
        QCOMPARE(chat.events.size(), 1);
        QCOMPARE(chat.events[0].name, QStringLiteral("gen_ai.first_token"));
        QCOMPARE(chat.events[0].timeNs, Q_INT64_C(1795574651673150654));
        compareAttributes(chat.events[0].attributes, attrs({{"note", QStringLiteral("example event")}}), "event");
        const Span &tool = out.spans[1];
        QCOMPARE(tool.status, StatusCode::Error);
        QCOMPARE(tool.statusMessage, QStringLiteral("upstream 503"));
        QCOMPARE(tool.links.size(), 1);
        QCOMPARE(tool.links[0].traceId, QStringLiteral("a33da757c22576d0b0a5d1a306e318e8"));
        QCOMPARE(tool.links[0].spanId, QStringLiteral("12185d48ec8dfbf0"));
        compareAttributes(tool.links[0].attributes, attrs({{"link.reason", QStringLiteral("caused_by")}}), "link");
        QVERIFY(out.spans[2].isRoot());
        for (const Span &s : out.spans)
            QCOMPARE(s.serviceName, QStringLiteral("demo-agent"));
    }

    void jsonLinesWithBadLines()
    {
        const QString path = dataPath("formats/jsonl-bad-line.jsonl");
        const auto ranges = lineRanges(readFile(path));
        Collected out;
        const ImportResult r = importPath(path, out);
        QCOMPARE(r.format, QStringLiteral("otlp-jsonl"));
        QCOMPARE(spanNames(out.spans), (QStringList{"line1-a", "line1-b", "line3-complete", "line4", "line7", "line9"}));
        QCOMPARE(out.spans[0].serviceName, QStringLiteral("svc-a"));
        QCOMPARE(out.spans[1].parentSpanId, QStringLiteral("1111111111111111"));
        QCOMPARE(r.stats.skippedSpans, 1);  // the cut-off second span of line 3
        const QList<ImportIssue> errs = errors(r);
        QCOMPARE(errs.size(), 3);
        QList<qint64> lines;
        for (const ImportIssue &e : errs) {
            lines.push_back(e.line);
            QCOMPARE(e.file, path);
            QVERIFY2(e.offset >= ranges[e.line - 1].first && e.offset <= ranges[e.line - 1].second,
                     qPrintable(e.toString()));
            QVERIFY(e.toString().startsWith(path + QStringLiteral(":line %1: ").arg(e.line)));
        }
        QCOMPARE(lines, (QList<qint64>{3, 5, 8}));
        QVERIFY2(errs[0].reason.contains(QStringLiteral("/resourceSpans/0/scopeSpans/0/spans/1")), qPrintable(errs[0].reason));
        QVERIFY2(errs[1].reason.contains(QStringLiteral("invalid literal")), qPrintable(errs[1].reason));
        QVERIFY2(errs[2].reason.contains(QStringLiteral("expected end of input")), qPrintable(errs[2].reason));
    }

    void truncatedDocument()
    {
        const QString path = dataPath("formats/truncated.json");
        const qint64 size = readFile(path).size();
        Collected out;
        const ImportResult r = importPath(path, out);
        QCOMPARE(r.format, QStringLiteral("otlp-json"));
        QCOMPARE(spanNames(out.spans), (QStringList{"first", "second"}));
        QCOMPARE(out.spans[1].serviceName, QStringLiteral("trunc"));
        QCOMPARE(r.stats.skippedSpans, 1);
        const QList<ImportIssue> errs = errors(r);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].offset, size);  // where the input stops
        QCOMPARE(errs[0].line, -1);
        QVERIFY(errs[0].toString().startsWith(path + QStringLiteral(":byte %1: ").arg(size)));
        QVERIFY2(errs[0].reason.contains(QStringLiteral("/resourceSpans/0/scopeSpans/0/spans/2/attributes/0/value/stringValue")),
                 qPrintable(errs[0].reason));
    }

    // Cutting the sample at every byte keeps exactly the spans that were complete before the cut.
    void truncatedAnywhere()
    {
        const QByteArray full = readFile(dataPath("samples/otlp-genai-sdk-generated.json"));
        Collected whole;
        QVERIFY(importData(full, whole).ok());
        QCOMPARE(whole.spans.size(), 3);
        qsizetype previous = 0;
        for (qsizetype cut = 0; cut < full.size(); ++cut) {
            Collected out;
            ImportOptions options;
            options.forcedFormat = QStringLiteral("otlp-json");
            const ImportResult r = importData(full.left(cut), out, options);
            QVERIFY2(out.spans.size() >= previous, qPrintable(QStringLiteral("cut at %1").arg(cut)));
            previous = out.spans.size();
            compareSpanLists(out.spans, whole.spans.mid(0, out.spans.size()));
            if (QTest::currentTestFailed())
                qFatal("cut at %lld", qint64(cut));
            const QList<ImportIssue> errs = errors(r);
            QVERIFY2(!errs.isEmpty(), qPrintable(QStringLiteral("cut at %1 not reported").arg(cut)));
            QVERIFY(errs.first().offset >= 0 && errs.first().offset <= cut);
        }
        QCOMPARE(previous, 3);
    }

    void wrongValueTypes()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("formats/wrong-types.json"), out);
        QCOMPARE(r.stats.errors, 0);
        QCOMPARE(spanNames(out.spans), (QStringList{"", "typed values"}));

        const Span &bad = out.spans[0];
        QCOMPARE(bad.traceId, QStringLiteral("abababababababababababababababab"));
        QCOMPARE(bad.otelKind, 0);
        QCOMPARE(bad.startNs, 0);
        QCOMPARE(bad.endNs, 0);
        QVERIFY(bad.attributes.isEmpty());
        QVERIFY(bad.events.isEmpty());
        QVERIFY(bad.links.isEmpty());
        QCOMPARE(bad.status, StatusCode::Unset);
        QCOMPARE(bad.scopeName, QString());
        QCOMPARE(bad.scopeVersion, QStringLiteral("1.0"));
        QCOMPARE(bad.serviceName, QString());

        const Span &typed = out.spans[1];
        QCOMPARE(typed.startNs, 1000);
        QCOMPARE(typed.endNs, 2000);
        QCOMPARE(typed.status, StatusCode::Error);
        QCOMPARE(typed.statusMessage, QStringLiteral("boom"));
        QCOMPARE(typed.events.size(), 1);
        QCOMPARE(typed.events[0].timeNs, 5);
        compareAttributes(typed.attributes,
                          attrs({{"int.str", QStringLiteral("abc")},
                                 {"bool.str", true},
                                 {"double.nan", std::numeric_limits<double>::quiet_NaN()},
                                 {"double.str", 1.5},
                                 {"bare", QStringLiteral("just a string")},
                                 {"array.scalar", QVariant()},
                                 {"bytes.bad", QStringLiteral("!!not base64!!")},
                                 {"after", QStringLiteral("still here")}}),
                          "typed");

        const QStringList warnings = reasons(r, ImportIssue::Severity::Warning);
        const QString s0 = QStringLiteral("/resourceSpans/0/scopeSpans/0/spans/0/");
        const QString s1 = QStringLiteral("/resourceSpans/0/scopeSpans/0/spans/1/");
        const QStringList expected{
            QStringLiteral("/resourceSpans/0/resource: expected an object, found an array"),
            QStringLiteral("/resourceSpans/0/scopeSpans/0/scope/name: expected a string, found a number"),
            s0 + QStringLiteral("name: expected a string, found a number"),
            s0 + QStringLiteral("kind: expected a number or an enum name, found an object"),
            s0 + QStringLiteral("startTimeUnixNano: expected a decimal string or a number, found a boolean"),
            s0 + QStringLiteral("endTimeUnixNano: \"yesterday\" is not a time"),
            s0 + QStringLiteral("attributes: expected an array, found a string"),
            s0 + QStringLiteral("status: expected an object, found a string"),
            s0 + QStringLiteral("events: expected an array, found an object"),
            s0 + QStringLiteral("links: expected an array, found a number"),
            s1 + QStringLiteral("attributes/0/value/intValue: expected an integer, found a string; kept"),
            s1 + QStringLiteral("attributes/4/value: expected an AnyValue object, found a string; kept"),
            s1 + QStringLiteral("attributes/5/value/arrayValue: expected an object, found a number"),
            s1 + QStringLiteral("attributes/6: attribute without a key"),
            s1 + QStringLiteral("attributes/7/value/bytesValue: expected a base64 string, found a string; kept"),
            s1 + QStringLiteral("attributes/8: expected an object, found a number"),
            s1 + QStringLiteral("events/1: expected an object, found a string"),
        };
        for (const QString &e : expected) {
            bool found = false;
            for (const QString &w : warnings)
                found = found || w.startsWith(e);
            QVERIFY2(found, qPrintable(QStringLiteral("missing warning: ") + e + QStringLiteral("\nhave:\n") + warnings.join(u'\n')));
        }
        QCOMPARE(warnings.size(), expected.size());  // nothing about the unknown "futureField"
        for (const ImportIssue &i : r.issues)
            QVERIFY(i.offset > 0);
    }

    void unicode()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("formats/unicode.json"), out);
        QVERIFY(r.ok());
        QCOMPARE(out.spans.size(), 1);
        const Span &s = out.spans.first();
        QCOMPARE(s.serviceName, QString::fromUtf8("serviço-ñ"));
        QCOMPARE(s.name, QString::fromUtf8("café 😀 日本語"));
        QCOMPARE(s.attributes.size(), 1);
        QCOMPARE(s.attributes[0].key, QString::fromUtf8("clé 🔑"));
        const QString expected = QString::fromUtf8("line1\nline2\t\"quoted\" \\ back ") + QChar(0) + QString::fromUtf8(" nul 😀 🤖");
        QCOMPARE(s.attributes[0].value.toString(), expected);
    }

    // Ill-formed UTF-8 and unpaired \u surrogates in strings become U+FFFD (as Go's encoding/json,
    // the Collector's, does): the spans are kept, with one warning for the file. Only what is not
    // JSON at all (a raw control character) still ends its document.
    void badUnicodeIsReplacedNotAnError()
    {
        const QByteArray id1 = "0af7651916cd43dd8448eb211c80319c", span1 = "b7ad6b7169203331";
        const QByteArray lines = makeDocument(1, 1) + "\n"
            + QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":")" + id1 + R"(","spanId":")" + span1
                         + R"(","startTimeUnixNano":"1000","name":"\ud800 lone \udc00 low \ud800\n \ud800\ud800\udc00 pair"}]}]}]})")
            + "\n"
            + QByteArray("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + id1
                         + "\",\"spanId\":\"b7ad6b7169203332\",\"startTimeUnixNano\":\"1000\",\"name\":\"\xff\xfe \xc3\x28 \xed\xa0\x80 \xf0\x28\x8c\x28 caf\xc3\xa9\"}]}]}]}\n")
            + QByteArray("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"ab\",\"spanId\":\"cd\",\"name\":\"raw \x01 control\"}]}]}]}\n")
            + makeDocument(1, 2) + "\n";
        Collected out;
        const ImportResult r = importData(lines, out);
        QCOMPARE(r.format, QStringLiteral("otlp-jsonl"));
        const QString fffd(QChar(0xFFFD));
        QCOMPARE(spanNames(out.spans),
                 (QStringList{"s1", fffd + " lone " + fffd + " low " + fffd + "\n " + fffd + QString::fromUtf8("\xf0\x90\x80\x80") + " pair",
                              fffd + fffd + " " + fffd + "( " + fffd + fffd + fffd + " " + fffd + "(" + fffd + "( caf" + QChar(0xE9),
                              "s2"}));
        QCOMPARE(errors(r).size(), 1);
        QCOMPARE(errors(r)[0].line, 4);
        QVERIFY(errors(r)[0].reason.contains("control character"));
        int replacedWarnings = 0;
        for (const ImportIssue &i : r.issues)
            replacedWarnings += i.severity == ImportIssue::Severity::Warning && i.reason.contains("U+FFFD") && i.reason.startsWith("12 ");
        QCOMPARE(replacedWarnings, 1);
    }

    void hugeAttribute_data()
    {
        QTest::addColumn<bool>("lines");
        QTest::addRow("document") << false;
        QTest::addRow("json lines") << true;
    }
    void hugeAttribute()
    {
        QFETCH(bool, lines);
        // 5 MB with escapes and multi-byte characters, spread over several 1 MiB read chunks.
        QString value;
        QByteArray escaped;
        const QString piece = QString::fromUtf8("chunk \"quoted\" é 😀 \\ tab\t;");
        const QByteArray pieceJson = QByteArray("chunk \\\"quoted\\\" \\u00e9 ") + QString::fromUtf8("😀").toUtf8() + " \\\\ tab\\t;";
        while (escaped.size() < 5 * 1024 * 1024) {
            value += piece;
            escaped += pieceJson;
        }
        const QByteArray span = "{\"traceId\":\"00000000000000000000000000000001\",\"spanId\":\"0000000000000001\",\"name\":\"big\","
                                "\"attributes\":[{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":\"" + escaped + "\"}},"
                                "{\"key\":\"after\",\"value\":{\"intValue\":\"7\"}}]}";
        const QByteArray doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span + "]}]}]}";
        const QByteArray data = lines ? doc + "\n" + makeDocument(2) + "\n" + doc + "\n" : doc;
        QTemporaryDir dir;
        const QString path = dir.filePath("big.json");
        QVERIFY(writeFile(path, data));
        Collected out;
        const ImportResult r = importPath(path, out);
        QVERIFY(r.ok());
        QCOMPARE(r.format, lines ? QStringLiteral("otlp-jsonl") : QStringLiteral("otlp-json"));
        QCOMPARE(out.spans.size(), lines ? 4 : 1);
        const Span &s = out.spans.first();
        QCOMPARE(s.attributes.size(), 2);
        QCOMPARE(s.attributes[0].value.toString().size(), value.size());
        QVERIFY(s.attributes[0].value.toString() == value);
        QCOMPARE(s.attributes[1].value, QVariant(qint64(7)));
        if (lines)
            QVERIFY(out.spans.last().attributes[0].value.toString() == value);
    }

    void deepNesting_data()
    {
        QTest::addColumn<int>("levels");
        QTest::addRow("10 levels") << 10;
        QTest::addRow("63 levels") << 63;
        QTest::addRow("64 levels") << 64;
        QTest::addRow("100 levels") << 100;
        QTest::addRow("20000 levels") << 20000;
    }
    void deepNesting()
    {
        QFETCH(int, levels);
        // `levels` AnyValues nested through arrayValue, a kvlist at the bottom.
        QByteArray value = "{\"kvlistValue\":{\"values\":[{\"key\":\"leaf\",\"value\":{\"stringValue\":\"bottom\"}}]}}";
        for (int i = 1; i < levels; ++i)
            value = "{\"arrayValue\":{\"values\":[" + value + "]}}";
        // And an unknown field nested even deeper, which is skipped.
        const QByteArray junk = QByteArray(levels * 2, '[') + QByteArray(levels * 2, ']');
        const QByteArray doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":\"deep\","
                               "\"unknown\":" + junk + ",\"attributes\":[{\"key\":\"nested\",\"value\":" + value
            + "},{\"key\":\"next\",\"value\":{\"boolValue\":false}}]}]}]}]}";
        Collected out;
        const ImportResult r = importData(doc, out);
        QCOMPARE(r.stats.errors, 0);
        QCOMPARE(out.spans.size(), 1);
        const Attributes &a = out.spans.first().attributes;
        QCOMPARE(a.size(), 2);
        QCOMPARE(a[1].value, QVariant(false));
        QVariant v = a[0].value;
        int lists = 0;
        while (v.typeId() == QMetaType::QVariantList) {
            QCOMPARE(v.toList().size(), 1);
            v = v.toList().first();
            ++lists;
        }
        // The leaf string is AnyValue number levels + 1; at most 64 are kept as values.
        if (levels <= 63) {
            QCOMPARE(lists, levels - 1);
            QCOMPARE(v.toMap().value(QStringLiteral("leaf")), QVariant(QStringLiteral("bottom")));
            QCOMPARE(r.stats.warnings, 0);
        } else if (levels == 64) {
            QCOMPARE(lists, 63);
            QCOMPARE(v.toMap().value(QStringLiteral("leaf")), QVariant(QStringLiteral("{\"stringValue\":\"bottom\"}")));
            QCOMPARE(r.stats.warnings, 1);
        } else {
            // 64 AnyValues as values, the rest as the OTLP JSON text it was.
            QCOMPARE(lists, 64);
            QCOMPARE(v.typeId(), QMetaType::QString);
            const QString text = v.toString();
            QCOMPARE(text.count(QStringLiteral("\"arrayValue\"")), levels - 65);
            QVERIFY(text.endsWith(QStringLiteral("{\"kvlistValue\":{\"values\":[{\"key\":\"leaf\",\"value\":{\"stringValue\":\"bottom\"}}]}}")
                                  + QString(levels - 65, QLatin1Char(']')).replace(QStringLiteral("]"), QStringLiteral("]}}"))));
            if (levels < 500)
                QVERIFY(!QJsonDocument::fromJson(text.toUtf8()).isNull());
            QCOMPARE(r.stats.warnings, 1);
            QVERIFY(r.issues.first().reason.contains(QStringLiteral("/attributes/0/value")));
        }
    }

    void passThrough_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QStringList>("tree");
        QTest::addRow("missing parent") << "formats/missing-parent.json" << QStringList{"root", "orphan", "orphan-child"}
                                        << QStringList{"root [span]", "orphan [span]", "  orphan-child [span]"};
        QTest::addRow("child before parent") << "formats/child-before-parent.json" << QStringList{"early-child", "late-parent"}
                                             << QStringList{"late-parent [span]", "  early-child [span]"};
        QTest::addRow("duplicates") << "formats/duplicate-spans.json" << QStringList{"root", "child", "child"} << QStringList{};
    }
    void passThrough()
    {
        // Spans arrive as the producer sent them: order, ids and times untouched, whatever the tree.
        QFETCH(QString, file);
        QFETCH(QStringList, order);
        QFETCH(QStringList, tree);
        Collected out;
        const ImportResult r = importPath(dataPath(file), out);
        QVERIFY(r.ok());
        QCOMPARE(r.issues.size(), 0);
        QCOMPARE(spanNames(out.spans), order);
        const QJsonObject doc = QJsonDocument::fromJson(readFile(dataPath(file))).object();
        const auto spans = doc.value("resourceSpans")[0]["scopeSpans"][0]["spans"].toArray();
        QCOMPARE(spans.size(), out.spans.size());
        for (int i = 0; i < spans.size(); ++i) {
            const Span &s = out.spans[i];
            QCOMPARE(s.spanId, spans[i]["spanId"].toString());
            QCOMPARE(s.parentSpanId, spans[i]["parentSpanId"].toString());
            QCOMPARE(s.startNs, spans[i]["startTimeUnixNano"].toString().toLongLong());
            QCOMPARE(s.endNs, spans[i]["endTimeUnixNano"].toString().toLongLong());
            QCOMPARE(s.serviceName, QStringLiteral("tree"));
        }
        if (!tree.isEmpty())
            QCOMPARE(dumpTree(Trace(out.spans)), tree);
        else
            compareSpan(out.spans[1], out.spans[2]);
    }

    void enumNames_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addRow("SPAN_KIND_CLIENT") << "k-client" << 3 << 0;
        QTest::addRow("SPAN_KIND_SERVER") << "k-server" << 2 << 0;
        QTest::addRow("internal") << "k-internal-lower" << 1 << 0;
        QTest::addRow("\"4\"") << "k-numeric-string" << 4 << 0;
        QTest::addRow("5") << "k-number" << 5 << 0;
        QTest::addRow("Span_Kind_Consumer") << "k-consumer-mixed" << 5 << 0;
        QTest::addRow("SPAN_KIND_BOGUS") << "k-unknown" << 0 << 0;
        QTest::addRow("9") << "k-out-of-range" << 0 << 0;
        QTest::addRow("STATUS_CODE_ERROR") << "s-error" << 0 << 2;
        QTest::addRow("STATUS_CODE_OK") << "s-ok" << 0 << 1;
        QTest::addRow("error") << "s-error-short" << 0 << 2;
        QTest::addRow("1") << "s-number" << 0 << 1;
        QTest::addRow("STATUS_CODE_UNSET") << "s-unset" << 0 << 0;
        QTest::addRow("\"2\"") << "s-numeric-string" << 0 << 2;
    }
    void enumNames()
    {
        QFETCH(QString, span);
        QFETCH(int, kind);
        QFETCH(int, status);
        Collected out;
        const ImportResult r = importPath(dataPath("formats/enum-names.json"), out);
        QCOMPARE(r.stats.errors, 0);
        QCOMPARE(r.stats.warnings, 2);  // the bogus and the out-of-range kind
        const Span *s = findSpan(out.spans, span);
        QVERIFY(s);
        QCOMPARE(s->otelKind, kind);
        QCOMPARE(int(s->status), status);
        if (span.startsWith(QLatin1String("s-")))
            QCOMPARE(s->statusMessage, span);
    }

    void intValueAsNumber_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("value");
        QTest::addRow("number") << "num" << qint64(50);
        QTest::addRow("string") << "str" << qint64(50);
        QTest::addRow("negative number") << "neg-num" << qint64(-7);
        QTest::addRow("negative string") << "neg-str" << qint64(-7);
        QTest::addRow("max as string") << "max-str" << std::numeric_limits<qint64>::max();
        QTest::addRow("max as number") << "max-num" << std::numeric_limits<qint64>::max();
        QTest::addRow("min as string") << "min-str" << std::numeric_limits<qint64>::min();
        QTest::addRow("1e3") << "float-integral" << qint64(1000);
        QTest::addRow("+12") << "plus-str" << qint64(12);
    }
    void intValueAsNumber()
    {
        QFETCH(QString, key);
        QFETCH(qint64, value);
        Collected out;
        const ImportResult r = importPath(dataPath("formats/intvalue-number.json"), out);
        QVERIFY(r.ok());
        QCOMPARE(r.issues.size(), 0);
        QCOMPARE(out.spans.size(), 1);
        QCOMPARE(out.spans[0].startNs, Q_INT64_C(1700000000000000000));
        QCOMPARE(out.spans[0].endNs, Q_INT64_C(1700000000000000001));
        const QVariant v = attributeValue(out.spans[0].attributes, key);
        QCOMPARE(v.typeId(), QMetaType::LongLong);
        QCOMPARE(v.toLongLong(), value);
    }

    void resourceAndScopeAfterSpans()
    {
        Collected out;
        ImportOptions options;
        options.batchSize = 1;  // spans held back for their resource must still come out in order
        const ImportResult r = importPath(dataPath("formats/resource-after-spans.json"), out, options);
        QVERIFY(r.ok());
        QCOMPARE(spanNames(out.spans), (QStringList{"before-scope", "after-scope", "normal", "no-resource"}));
        QCOMPARE(out.spans[0].serviceName, QStringLiteral("late-service"));
        QCOMPARE(out.spans[0].scopeName, QStringLiteral("late-scope"));
        QCOMPARE(out.spans[0].scopeVersion, QStringLiteral("2"));
        compareAttributes(out.spans[0].resourceAttributes,
                          attrs({{"service.name", QStringLiteral("late-service")}, {"host", QStringLiteral("h1")}}), "resource");
        QCOMPARE(out.spans[1].serviceName, QStringLiteral("late-service"));
        QCOMPARE(out.spans[1].scopeName, QStringLiteral("early-scope"));
        QCOMPARE(out.spans[2].serviceName, QStringLiteral("early-service"));
        QCOMPARE(out.spans[2].scopeName, QString());
        QCOMPARE(out.spans[3].serviceName, QString());
        QVERIFY(out.spans[3].resourceAttributes.isEmpty());
        QCOMPARE(out.batchSizes, (QList<qsizetype>{1, 1, 1, 1}));
    }

    void ids()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("formats/ids.json"), out);
        QCOMPARE(spanNames(out.spans), (QStringList{"upper-hex", "base64", "uuid", "after-skipped"}));
        QCOMPARE(out.spans[0].traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(out.spans[0].spanId, QStringLiteral("eee19b7ec3c1b174"));
        QVERIFY(out.spans[0].isRoot());
        QCOMPARE(out.spans[1].traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(out.spans[1].spanId, QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(out.spans[1].parentSpanId, QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(out.spans[2].traceId, QStringLiteral("9f1c2a3e-0d4b-4c5a-8e6f-7a8b9c0d1e2f"));
        QCOMPARE(out.spans[2].spanId, QStringLiteral("run-42"));
        QCOMPARE(r.stats.skippedSpans, 2);
        const QList<ImportIssue> errs = errors(r);
        QCOMPARE(errs.size(), 2);
        QVERIFY2(errs[0].reason.contains(QStringLiteral("/spans/3")) && errs[0].reason.contains(QStringLiteral("\"no-span-id\" has no spanId")),
                 qPrintable(errs[0].reason));
        QVERIFY2(errs[1].reason.contains(QStringLiteral("\"no-trace-id\" has no traceId")), qPrintable(errs[1].reason));
        QVERIFY(errs[0].offset > 0 && errs[0].offset < errs[1].offset);
        QVERIFY(!r.ok());
    }

    void snakeCase()
    {
        Collected out;
        const ImportResult r = importPath(dataPath("formats/snake-case.json"), out);
        QVERIFY(r.ok());
        QCOMPARE(r.issues.size(), 0);
        QCOMPARE(out.spans.size(), 1);
        const Span &s = out.spans[0];
        QCOMPARE(s.serviceName, QStringLiteral("snake"));
        QCOMPARE(s.scopeName, QStringLiteral("old-lib"));
        QCOMPARE(s.scopeVersion, QStringLiteral("0.9"));
        QCOMPARE(s.parentSpanId, QStringLiteral("0000000000000002"));
        QCOMPARE(s.startNs, 10);
        QCOMPARE(s.endNs, 20);
        QCOMPARE(s.status, StatusCode::Error);
        QCOMPARE(s.events.size(), 1);
        QCOMPARE(s.events[0].timeNs, 15);
        compareAttributes(s.attributes,
                          attrs({{"n", qint64(3)},
                                 {"b", true},
                                 {"d", 2.5},
                                 {"a", QVariantList{QStringLiteral("x")}},
                                 {"kv", QVariantMap{{QStringLiteral("inner"), qint64(1)}}},
                                 {"raw", QByteArray("\x00\x01\x02", 3)}}),
                          "snake");
    }

    void gzipped_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::addRow("json") << readFile(dataPath("samples/otlp-genai-sdk-generated.json")) << "otlp-json, gzip" << 3;
        QTest::addRow("json lines") << readFile(dataPath("formats/jsonl-bad-line.jsonl")) << "otlp-jsonl, gzip" << 6;
        QTest::addRow("protobuf") << readFile(dataPath("samples/otlp-genai-sdk-generated.binpb")) << "otlp-proto, gzip" << 3;
        // Several MiB, so decompression spans many chunks.
        QByteArray big;
        for (int i = 0; i < 40; ++i)
            big += makeDocument(50, i * 50, 2000) + "\n";
        QTest::addRow("big json lines") << big << "otlp-jsonl, gzip" << 2000;
    }
    void gzipped()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QString, format);
        QFETCH(int, spans);
        Collected reference;
        const ImportResult plainResult = importData(plain, reference);
        QCOMPARE(reference.spans.size(), spans);

        QTemporaryDir dir;
        const QString path = dir.filePath("trace.bin");
        const QByteArray compressed = gzip(plain);
        QVERIFY(writeFile(path, compressed));
        Collected out;
        const ImportResult r = importPath(path, out);
        QCOMPARE(r.format, format);
        compareSpanLists(out.spans, reference.spans);
        QCOMPARE(r.stats.errors, plainResult.stats.errors);
        QCOMPARE(r.stats.bytes, compressed.size());
        QCOMPARE(r.stats.totalBytes, compressed.size());
        // Offsets in issues are positions in the decompressed data.
        QCOMPARE(r.issues.size(), plainResult.issues.size());
        for (qsizetype i = 0; i < r.issues.size(); ++i)
            QCOMPARE(r.issues[i].offset, plainResult.issues[i].offset);

        Collected fromMemory;
        QCOMPARE(importData(compressed, fromMemory).format, format);
        QCOMPARE(fromMemory.spans.size(), spans);
    }

    void gzipConcatenatedMembers()
    {
        const QByteArray a = makeDocument(3, 0) + "\n";
        const QByteArray b = makeDocument(2, 3) + "\n";
        Collected out;
        const ImportResult r = importData(gzip(a) + gzip(b), out);
        QVERIFY(r.ok());
        QCOMPARE(r.format, QStringLiteral("otlp-jsonl, gzip"));
        QCOMPARE(spanNames(out.spans), (QStringList{"s0", "s1", "s2", "s3", "s4"}));
    }

    void gzipDamaged_data()
    {
        QTest::addColumn<bool>("truncate");
        QTest::addRow("truncated") << true;
        QTest::addRow("corrupt") << false;
    }
    void gzipDamaged()
    {
        QFETCH(bool, truncate);
        QByteArray plain;
        for (int i = 0; i < 100; ++i)
            plain += makeDocument(10, i * 10, 3000) + "\n";
        QByteArray compressed = gzip(plain, 1);
        if (truncate)
            compressed.truncate(compressed.size() / 2);
        else
            for (qsizetype i = compressed.size() / 2; i < compressed.size() / 2 + 64; ++i)
                compressed[i] = char(compressed[i] ^ 0x5a);
        Collected out;
        const ImportResult r = importData(compressed, out);
        QCOMPARE(r.format, QStringLiteral("otlp-jsonl, gzip"));
        QVERIFY(!r.ok());
        QVERIFY(out.spans.size() > 0);
        QVERIFY(out.spans.size() < 1000);
        if (truncate) {
            // What was decompressed before the damage is intact.
            Collected reference;
            importData(plain, reference);
            compareSpanLists(out.spans, reference.spans.mid(0, out.spans.size()));
        }
        bool named = false;
        for (const ImportIssue &e : errors(r))
            named = named || e.reason.contains(QStringLiteral("gzip"));
        QVERIFY(named);
    }

    void cancellation_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QByteArray doc = makeDocument(50);
        QByteArray lines;
        for (int i = 0; i < 10; ++i)
            lines += makeDocument(5, i * 5) + "\n";
        QTest::addRow("json") << doc;
        QTest::addRow("json lines") << lines;
        QTest::addRow("gzip json") << gzip(doc);
        QTest::addRow("protobuf") << readFile(dataPath("samples/otlp-genai-sdk-generated.binpb"));
    }
    void cancellation()
    {
        QFETCH(QByteArray, data);
        std::atomic_bool cancel = false;
        int batches = 0;
        qsizetype received = 0;
        ImportOptions options;
        options.batchSize = 2;
        options.cancel = &cancel;
        const ImportResult r = importBytes(data, QStringLiteral("c"), [&](SpanList &&batch) {
            ++batches;
            received += batch.size();
            cancel = true;
        }, options);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok());
        QCOMPARE(batches, 1);
        QCOMPARE(received, 2);
        QCOMPARE(r.stats.spans, 2);
        QCOMPARE(r.stats.errors, 0);
    }

    void cancelledBeforeStart()
    {
        std::atomic_bool cancel = true;
        ImportOptions options;
        options.cancel = &cancel;
        Collected out;
        const ImportResult r = importPath(dataPath("samples/otlp-genai-sdk-generated.json"), out, options);
        QVERIFY(r.cancelled);
        QVERIFY(out.spans.isEmpty());
    }

    void batches()
    {
        Collected out;
        ImportOptions options;
        options.batchSize = 7;
        const ImportResult r = importData(makeDocument(30), out, options);
        QVERIFY(r.ok());
        QCOMPARE(out.batchSizes, (QList<qsizetype>{7, 7, 7, 7, 2}));
        QCOMPARE(r.stats.spans, 30);
    }

    void progress_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addRow("plain") << false;
        QTest::addRow("gzip") << true;
    }
    void progress()
    {
        QFETCH(bool, compressed);
        QByteArray data;
        for (int i = 0; i < 60; ++i)
            data += makeDocument(20, i * 20, 4000) + "\n";
        // Incompressible content, so that the gzip file also takes many reads.
        QRandomGenerator random(42);
        for (qsizetype i = data.indexOf("xxxx"); i >= 0 && i < data.size() && data[i] == 'x'; ++i) {
            for (; i < data.size() && data[i] == 'x'; ++i)
                data[i] = "0123456789abcdef"[random.bounded(16)];
            i = data.indexOf("xxxx", i);
            if (i < 0)
                break;
            --i;
        }
        QVERIFY(!data.contains("xxxx"));
        QVERIFY(data.size() > 4 * 1024 * 1024);
        if (compressed)
            data = gzip(data, 1);
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.jsonl");
        QVERIFY(writeFile(path, data));
        QList<QPair<qint64, qint64>> calls;
        ImportOptions options;
        options.progress = [&](qint64 done, qint64 total) { calls.push_back({done, total}); };
        Collected out;
        const ImportResult r = importPath(path, out, options);
        QVERIFY(r.ok());
        QCOMPARE(out.spans.size(), 1200);
        QVERIFY(calls.size() >= 2);
        QVERIFY(calls.size() <= 202);
        QCOMPARE(calls.last().first, data.size());
        for (qsizetype i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].second, data.size());
            if (i > 0) {
                QVERIFY(calls[i].first > calls[i - 1].first);
                if (i + 1 < calls.size())  // steps of at least 0.5 %, the last one may be shorter
                    QVERIFY(calls[i].first - calls[i - 1].first >= data.size() / 200);
            }
        }
        QCOMPARE(r.stats.bytes, data.size());
        QCOMPARE(r.stats.totalBytes, data.size());
    }

    void issueFlood()
    {
        // A file where every span is broken stores a bounded number of issues but counts them all.
        QByteArray spans;
        for (int i = 0; i < 1000; ++i)
            spans += QByteArray(i ? "," : "") + "{\"traceId\":\"01\",\"spanId\":\"02\",\"kind\":true}";
        const QByteArray doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
        Collected out;
        const ImportResult r = importData(doc, out);
        QCOMPARE(out.spans.size(), 1000);
        QCOMPARE(r.stats.warnings, 1000);
        QVERIFY(r.issues.size() <= 201);
        QVERIFY(r.issues.last().reason.contains(QStringLiteral("more issue")));
    }

    void concatenatedDocuments()
    {
        // Pretty-printed documents one after another: each is read.
        const QByteArray pretty = QJsonDocument::fromJson(makeDocument(2, 0)).toJson(QJsonDocument::Indented)
            + QJsonDocument::fromJson(makeDocument(1, 2)).toJson(QJsonDocument::Indented);
        Collected out;
        ImportResult r = importData(pretty, out);
        QCOMPARE(r.format, QStringLiteral("otlp-json"));
        QVERIFY(r.ok());
        QCOMPARE(spanNames(out.spans), (QStringList{"s0", "s1", "s2"}));

        Collected junk;
        r = importData(makeDocument(1) + " trailing junk", junk);
        QCOMPARE(junk.spans.size(), 1);
        QCOMPARE(errors(r).size(), 1);
        QVERIFY(errors(r).first().reason.contains(QStringLiteral("unexpected data after the JSON document")));
    }

    void mutatedInputs_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addRow("json") << readFile(dataPath("samples/otlp-genai-sdk-generated.json"));
        QTest::addRow("json lines") << readFile(dataPath("formats/jsonl-bad-line.jsonl"));
        QTest::addRow("protobuf") << readFile(dataPath("samples/otlp-genai-sdk-generated.binpb"));
        QTest::addRow("gzip json") << gzip(readFile(dataPath("samples/otlp-genai-sdk-generated.json")));
    }
    void mutatedInputs()
    {
        // Damaged inputs never crash, and every issue they cause is placed inside the input.
        QFETCH(QByteArray, original);
        QRandomGenerator random(1234);
        for (int round = 0; round < 400; ++round) {
            const QByteArray data = mutated(original, random, 6);
            Collected out;
            ImportOptions options;
            options.displayName = QStringLiteral("mutant-%1").arg(round);
            const ImportResult r = importData(data, out, options);
            QCOMPARE(r.stats.spans, out.spans.size());
            for (const ImportIssue &i : r.issues) {
                QCOMPARE(i.file, options.displayName);
                QVERIFY(!i.reason.isEmpty());
                // (gzip offsets are in the decompressed data, whose size is unknown here)
                const qint64 limit = r.format.contains(QLatin1String("gzip")) ? std::numeric_limits<qint64>::max() : data.size();
                QVERIFY2(i.offset >= -1 && i.offset <= limit, qPrintable(i.toString()));
            }
            for (const Span &s : out.spans)
                QVERIFY(!s.traceId.isEmpty() && !s.spanId.isEmpty());
        }
    }

    // simdjson's replay (jsonreplay.h) and nlohmann's parser give the same spans, counts and
    // messages, offsets included, for whole documents and JSON lines, good and bad.
    void replayMatchesNlohmann_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QStringList files = {QStringLiteral("samples/otlp-genai-sdk-generated.json"), QStringLiteral("samples/otlp-trace.json")};
        QDir formats(dataPath(QStringLiteral("formats")));
        QStringList all = files;
        for (const QString &f : formats.entryList({QStringLiteral("*.json"), QStringLiteral("*.jsonl")}, QDir::Files))
            all << QStringLiteral("formats/") + f;
        QByteArray lines;
        for (const QString &f : std::as_const(all)) {
            const QByteArray doc = readFile(dataPath(f));
            QTest::addRow("%s", qPrintable(f)) << doc;
            if (!f.endsWith(QLatin1String(".jsonl")))
                lines += QJsonDocument::fromJson(doc).toJson(QJsonDocument::Compact) + '\n';
        }
        QTest::addRow("the documents as JSON lines") << lines;
        QTest::addRow("CRLF, blank lines, no final newline") << QByteArray(lines).replace("\n", "\r\n\r\n  ").chopped(6);
        // A span without ids (skipped, with its offset), wrong types, and numbers of every kind.
        const QByteArray spans =
            "{\"spanId\":\"0a\",\"name\":\"no trace\",\"kind\":\"SERVER\"},"
            "{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":7,\"startTimeUnixNano\":1.5e3,\"endTimeUnixNano\":\"2000\","
            "\"kind\":-0,\"status\":{\"code\":2,\"message\":[1]},\"droppedAttributesCount\":18446744073709551615,"
            "\"attributes\":[{\"key\":\"i\",\"value\":{\"intValue\":-9223372036854775808}},{\"key\":\"d\",\"value\":{\"doubleValue\":1.50}},"
            "{\"key\":\"e\",\"value\":{\"doubleValue\":-2E-3}},{\"key\":\"u\",\"value\":{\"intValue\":9223372036854775807}},"
            "{\"key\":\"s\",\"value\":{\"stringValue\":\"tab\\t nul\\u0000 \\u00e9\\ud83d\\ude00 \\\"q\\\" \\/\"}},"
            "{\"value\":{\"boolValue\":true}},{\"key\":\"n\",\"value\":null},{\"key\":\"b\",\"value\":{\"boolValue\":\"yes\"}},"
            "{\"key\":\"dup\",\"value\":{\"intValue\":\"1\"}},{\"key\":\"dup\",\"value\":{\"intValue\":\"2\"}}],"
            "\"events\":[{\"name\":\"e\",\"timeUnixNano\":\"5\"},{\"name\":{}}],\"links\":[{\"traceId\":\"01\",\"spanId\":5}]}";
        const QByteArray doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"name\":3},\"spans\":[" + spans
            + "]}],\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]}}]}";
        QTest::addRow("wrong types and numbers") << doc;
        QTest::addRow("wrong types and numbers, as lines") << doc + '\n' + doc + "\n[1,2]\n{\"resourceSpans\":7}\n\"text\"\n" + doc;
        QByteArray deep = "{\"stringValue\":\"bottom\"}";
        for (int i = 0; i < 80; ++i)
            deep = "{\"arrayValue\":{\"values\":[" + deep + ",{\"intValue\":" + QByteArray::number(i) + "}]}}";
        const QByteArray deepDoc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\","
                                   "\"attributes\":[{\"key\":\"deep\",\"value\":" + deep + "}]}]}]}]}";
        QTest::addRow("nested deeper than 64") << deepDoc + '\n' + deepDoc;
        // What simdjson leaves to nlohmann: bad UTF-8, lone surrogates, big integers, syntax errors,
        // several documents in one input, and lines between good ones.
        QTest::addRow("bad UTF-8") << doc + "\n" + QByteArray(doc).replace("svc", "s\xff\xfe") + "\n" + doc;
        QTest::addRow("lone surrogate") << QByteArray(doc).replace("tab\\t", "\\ud800 x") + "\n" + doc;
        QTest::addRow("integer beyond 64 bits") << QByteArray(doc).replace("9223372036854775807", "92233720368547758070000") + "\n" + doc;
        QTest::addRow("syntax error") << doc + "\n" + doc.chopped(3) + "\n" + doc + "\n{\"resourceSpans\":[]} x\n";
        QTest::addRow("two documents") << doc + "  \n " + doc;
        QTest::addRow("trailing text") << doc + " ]";
    }
    void replayMatchesNlohmann()
    {
        QFETCH(QByteArray, data);
        auto check = [](const QByteArray &input, const char *what) { checkReplay(input, what); };
        check(data, "as given");
        if (QTest::currentTestFailed())
            return;
        // And damaged copies of it.
        QRandomGenerator random(99);
        for (int round = 0; round < 60; ++round) {
            check(mutated(data, random, 4), qPrintable(QStringLiteral("mutant %1").arg(round)));
            if (QTest::currentTestFailed())
                return;
        }
    }

    // A document larger than a chunk, {"resourceSpans":[...]}: simdjson replays each element of
    // the array (made contiguous across chunks) and nlohmann takes over for whatever does not fit.
    void streamedElementsMatchNlohmann_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("mutate");
        auto inner = [](const QByteArray &doc) {
            // The array's elements of a {"resourceSpans":[...]} document.
            return doc.mid(qsizetype(strlen("{\"resourceSpans\":[")), doc.size() - qsizetype(strlen("{\"resourceSpans\":[")) - 2);
        };
        const QByteArray wrong = readFile(dataPath(QStringLiteral("formats/wrong-types.json")));
        const QByteArray compactWrong = QJsonDocument::fromJson(wrong).toJson(QJsonDocument::Compact);
        QByteArrayList elements;
        for (int i = 0; i < 40; ++i) {
            elements << inner(makeDocument(3 + i % 5, i * 100, 2000 + (i * 7919) % 60000, "svc" + QByteArray::number(i)));
            if (i % 9 == 4)
                elements << inner(compactWrong);
        }
        const QByteArray big = inner(makeDocument(4, 90000, 1300000));  // spans several chunks
        // One line: the JSON lines importer (see its format fixup); several: the document importer.
        const QByteArray compact = "{\"resourceSpans\":[" + elements.join(',') + "]}";
        const QByteArray spaced = "\n { \"resourceSpans\" :\n [ " + elements.mid(0, 10).join(" ,\n ") + ",\n" + big + ",\n"
            + elements.mid(10).join(" ,\n ") + "\n ] \n}\n";
        QTest::addRow("one line") << compact << false;
        QTest::addRow("a line with text after its document") << compact + " ]\n" + compact + "\n" << false;
        QTest::addRow("lines") << compact + "\n" + compactWrong + "\n\n" + compact + "\n" << false;
        QTest::addRow("spaced, a large element") << spaced << false;
        QTest::addRow("other keys after the array") << "{\"resourceSpans\":[" + elements.join(",\n") + "],\"extra\":{\"a\":[1]}}" << false;
        QTest::addRow("other keys after the array, one line") << "{\"resourceSpans\":[" + elements.join(',') + "],\"extra\":{\"a\":[1]}}" << false;
        QTest::addRow("empty array, then a document") << "{\"resourceSpans\":[]} " + QByteArray(1200000, ' ') + "\n" + spaced << false;
        QTest::addRow("an element too large for simdjson") << "{\"resourceSpans\":[" + elements.mid(0, 3).join(',') + ",\n"
                + inner(makeDocument(2, 777, int(JsonReplay::MaxBytes) + 1000)) + "," + elements.mid(3, 5).join(',') + "]}" << false;
        QTest::addRow("damaged lines") << compact + "\n" + compact << true;
        QTest::addRow("damaged document") << spaced << true;
    }
    void streamedElementsMatchNlohmann()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, mutate);
        QVERIFY(data.size() > 2 * 1024 * 1024);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("big.json"));
        if (!mutate) {
            checkReplay(data, "file", file);
            if (QTest::currentTestFailed())
                return;
            checkReplay(gzip(data, 1), "gzip");
            if (QTest::currentTestFailed())
                return;
            checkReplay(data, "memory");  // one window, larger than JsonReplay::MaxBytes
            return;
        }
        QRandomGenerator random(7);
        for (int round = 0; round < 25 && !QTest::currentTestFailed(); ++round)
            checkReplay(mutated(data, random, 4), qPrintable(QStringLiteral("mutant %1").arg(round)), file);
        // Cut off at places inside and between elements.
        for (int round = 0; round < 10 && !QTest::currentTestFailed(); ++round)
            checkReplay(data.left(random.bounded(data.size())), qPrintable(QStringLiteral("cut %1").arg(round)), file);
    }

    void stringInterner()
    {
        StringInterner interner(24, 3000);
        QList<QString> first;
        // Past its growth steps and its bound: every answer right, repeats shared while it has room.
        for (int i = 0; i < 5000; ++i) {
            const std::string text = "value-" + std::to_string(i);
            const QString s = interner.get(text);
            QCOMPARE(s, QString::fromStdString(text));
            first << s;
        }
        for (int i = 0; i < 5000; ++i) {
            const std::string text = "value-" + std::to_string(i);
            const QString again = interner.get(text.data(), text.size());
            QCOMPARE(again, first[i]);
            QCOMPARE(again.isSharedWith(first[i]), i < 3000);
        }
        // Prefixes, the empty string, non-ASCII text, and text longer than maxLength (never kept).
        QCOMPARE(interner.get(std::string("value-1")), QStringLiteral("value-1"));
        QCOMPARE(interner.get(std::string("value-")), QStringLiteral("value-"));
        QCOMPARE(interner.get(std::string()), QString());
        QCOMPARE(interner.get(std::string("gr\xc3\xbc\xc3\x9f")), QStringLiteral("gr\u00fc\u00df"));
        const std::string longText(25, 'x');
        QVERIFY(!interner.get(longText).isSharedWith(interner.get(longText)));
        QCOMPARE(interner.get(longText), QString(25, QLatin1Char('x')));
    }

    void replayedDoubleKeepsItsValue()
    {
        // The one difference the replay makes (jsonreplay.h): a double kept as JSON text (an
        // AnyValue nested too deep) is written in its shortest form. It shows that whole documents
        // and lines do take simdjson's path.
        QByteArray deep = "{\"doubleValue\":1.50}";
        for (int i = 0; i < 70; ++i)
            deep = "{\"arrayValue\":{\"values\":[" + deep + "]}}";
        const QByteArray doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\","
                               "\"attributes\":[{\"key\":\"deep\",\"value\":" + deep + "}]}]}]}]}";
        auto capturedText = [](const QByteArray &input, bool replay) {
            Collected out;
            ImportOptions options;
            options.replayJson = replay;
            importData(input, out, options);
            if (out.spans.isEmpty())
                return QString();
            QVariant v = out.spans.first().attributes.value(0).value;
            while (v.typeId() == QMetaType::QVariantList)
                v = v.toList().value(0);
            return v.toString();
        };
        for (const QByteArray &input : QList<QByteArray>{doc, doc + "\n" + doc}) {
            const QString replayed = capturedText(input, true);
            const QString parsed = capturedText(input, false);
            QVERIFY2(parsed.contains(QLatin1String("{\"doubleValue\":1.50}")), qPrintable(parsed + QLatin1String(" / ") + replayed));
            QVERIFY2(replayed.contains(QLatin1String("{\"doubleValue\":1.5}")), qPrintable(replayed));
        }
    }

    void maxInputBytes()
    {
        const QByteArray data = makeDocument(100, 0, 100);
        ImportOptions options;
        options.maxInputBytes = 1000;
        Collected out;
        ImportResult r = importData(gzip(data), out, options);
        QVERIFY(r.tooLarge);
        QVERIFY(!r.ok());
        r = importData(data, out, options);
        QVERIFY(r.tooLarge);
        options.maxInputBytes = data.size();
        Collected fits;
        r = importData(gzip(data), fits, options);
        QVERIFY(!r.tooLarge);
        QCOMPARE(fits.spans.size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestOtlpImporter)
#include "tst_otlpimporter.moc"
