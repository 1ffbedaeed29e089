#include "semconv/lightjson.h"
#include "semconv/messageparser.h"
#include "semconv/semconv.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QTest>

using namespace spanscope;
using Json = nlohmann::ordered_json;

Q_DECLARE_METATYPE(spanscope::Attributes)

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/") + relative;
}

Json readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Json();
    const QByteArray bytes = f.readAll();
    return Json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// The QVariant types an OTLP importer produces: integers as qint64, arrays as QVariantList,
// kvlists as QVariantMap.
QVariant toVariant(const Json &j)
{
    switch (j.type()) {
    case Json::value_t::string: return qs(j.get<std::string>());
    case Json::value_t::boolean: return j.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return qint64(j.get<std::int64_t>());
    case Json::value_t::number_float: return j.get<double>();
    case Json::value_t::array: {
        QVariantList list;
        for (const Json &v : j)
            list << toVariant(v);
        return list;
    }
    case Json::value_t::object: {
        QVariantMap map;
        for (auto it = j.begin(); it != j.end(); ++it)
            map.insert(qs(it.key()), toVariant(it.value()));
        return map;
    }
    default: return {};
    }
}

Attributes toAttributes(const Json &object)
{
    Attributes out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out << Attribute{qs(it.key()), toVariant(it.value())};
    return out;
}

// OTLP/JSON AnyValue -> QVariant (intValue may be a string or a number).
QVariant otlpValue(const Json &v)
{
    if (v.contains("stringValue"))
        return qs(v["stringValue"].get<std::string>());
    if (v.contains("boolValue"))
        return v["boolValue"].get<bool>();
    if (v.contains("intValue")) {
        const Json &i = v["intValue"];
        return i.is_string() ? qs(i.get<std::string>()).toLongLong() : qint64(i.get<std::int64_t>());
    }
    if (v.contains("doubleValue"))
        return v["doubleValue"].get<double>();
    if (v.contains("arrayValue")) {
        QVariantList list;
        for (const Json &item : v["arrayValue"].value("values", Json::array()))
            list << otlpValue(item);
        return list;
    }
    if (v.contains("kvlistValue")) {
        QVariantMap map;
        for (const Json &kv : v["kvlistValue"].value("values", Json::array()))
            map.insert(qs(kv["key"].get<std::string>()), otlpValue(kv["value"]));
        return map;
    }
    return {};
}

Attributes otlpAttributes(const Json &list)
{
    Attributes out;
    for (const Json &kv : list)
        out << Attribute{qs(kv["key"].get<std::string>()), otlpValue(kv["value"])};
    return out;
}

bool loadOtlpSpan(const QString &file, const QString &name, Span &span)
{
    const Json doc = readJson(dataPath(file));
    for (const Json &rs : doc.value("resourceSpans", Json::array())) {
        for (const Json &ss : rs.value("scopeSpans", Json::array())) {
            for (const Json &s : ss.value("spans", Json::array())) {
                if (qs(s.value("name", std::string())) != name)
                    continue;
                span.name = name;
                span.attributes = otlpAttributes(s.value("attributes", Json::array()));
                for (const Json &e : s.value("events", Json::array()))
                    span.events << SpanEvent{0, qs(e.value("name", std::string())), otlpAttributes(e.value("attributes", Json::array()))};
                return true;
            }
        }
    }
    return false;
}

QString escaped(QString s)
{
    return s.replace(QLatin1Char('\n'), QLatin1String("\\n"));
}

QString number(double v)
{
    return QString::number(v, 'f', QLocale::FloatingPointShortest);
}

void dumpMessages(const QString &prefix, const Messages &messages, QStringList &out)
{
    for (const Message &m : messages) {
        QString line = prefix + m.role;
        if (!m.name.isEmpty())
            line += " name=" + m.name;
        if (!m.toolCallId.isEmpty())
            line += " [" + m.toolCallId + "]";
        if (!m.finishReason.isEmpty())
            line += " (" + m.finishReason + ")";
        if (!m.content.isEmpty())
            line += ": " + escaped(m.content);
        out << line;
        for (const ToolCall &tc : m.toolCalls)
            out << prefix + "  call [" + tc.id + "] " + tc.name + " " + tc.arguments;
    }
}

// Every normalised field that is not empty, one per line, so a failure shows the whole span.
QStringList dumpSpan(const Span &s)
{
    QStringList out;
    out << "kind: " + spanKindName(s.kind);
    auto add = [&](const char *label, const QString &value) {
        if (!value.isEmpty())
            out << QString::fromLatin1(label) + ": " + value;
    };
    add("operation", s.operation);
    add("requestModel", s.requestModel);
    add("responseModel", s.responseModel);
    add("provider", s.provider);
    for (auto it = s.parameters.cbegin(); it != s.parameters.cend(); ++it)
        out << "param " + it.key() + ": " + attributeValueToString(it.value());
    if (!s.tokens.isEmpty()) {
        QString line = "tokens:";
        const std::pair<const char *, qint64> counts[] = {
            {"input", s.tokens.input}, {"output", s.tokens.output}, {"total", s.tokens.total},
            {"cacheRead", s.tokens.cachedInput}, {"cacheWrite", s.tokens.cacheCreation},
            {"reasoning", s.tokens.reasoning}};
        for (const auto &[name, n] : counts) {
            if (n >= 0)
                line += QStringLiteral(" %1=%2").arg(QString::fromLatin1(name)).arg(n);
        }
        out << line;
    }
    if (s.cost.isKnown())
        out << QStringLiteral("cost: %1 total=%2 input=%3 output=%4")
                   .arg(costSourceName(s.cost.source), number(s.cost.totalUsd), number(s.cost.inputUsd),
                        number(s.cost.outputUsd));
    if (!s.input.isEmpty())
        out << "input [" + s.input.mimeType + "]: " + escaped(s.input.value);
    if (!s.output.isEmpty())
        out << "output [" + s.output.mimeType + "]: " + escaped(s.output.value);
    add("tool", s.toolName);
    add("agent", s.agentName);
    add("session", s.sessionId);
    add("user", s.userId);
    for (const QString &t : s.tags)
        out << "tag: " + t;
    for (auto it = s.metadata.cbegin(); it != s.metadata.cend(); ++it)
        out << "meta " + it.key() + ": " + attributeValueToString(it.value());
    for (const RetrievalDocument &d : s.documents) {
        QString line = "doc id=" + d.id + " score=" + (d.score ? number(*d.score) : QStringLiteral("-"));
        if (!d.metadata.isEmpty())
            line += " meta=" + attributeValueToString(d.metadata);
        out << line + ": " + escaped(d.content);
    }
    dumpMessages("in: ", s.inputMessages, out);
    dumpMessages("out: ", s.outputMessages, out);
    return out;
}

bool sameDump(const QStringList &actual, const QStringList &expected)
{
    if (actual == expected)
        return true;
    qWarning().noquote() << "\n--- actual\n" + actual.join('\n') + "\n--- expected\n" + expected.join('\n');
    return false;
}

// A fixture: the span's raw attributes (inline, a flat attribute map file, or one span of an
// OTLP/JSON file), optional events, optional importer-set fields, and the expected dump.
bool loadFixture(const QString &name, Span &span, QStringList &expected, QString *why)
{
    const Json fx = readJson(dataPath("semconv/" + name));
    if (!fx.is_object()) {
        *why = "cannot read fixture " + name;
        return false;
    }
    if (fx.contains("attributesFile")) {
        const Json attrs = readJson(dataPath(qs(fx["attributesFile"].get<std::string>())));
        if (!attrs.is_object() || attrs.empty()) {
            *why = "cannot read attributes of " + name;
            return false;
        }
        span.attributes = toAttributes(attrs);
    } else if (fx.contains("otlpFile")) {
        if (!loadOtlpSpan(qs(fx["otlpFile"].get<std::string>()), qs(fx["spanName"].get<std::string>()), span)) {
            *why = "span not found for " + name;
            return false;
        }
    } else {
        span.attributes = toAttributes(fx.value("attributes", Json::object()));
        for (const Json &e : fx.value("events", Json::array()))
            span.events << SpanEvent{0, qs(e.value("name", std::string())), toAttributes(e.value("attributes", Json::object()))};
    }
    if (fx.contains("span")) {
        const Json &s = fx["span"];
        if (s.contains("kind"))
            span.kind = spanKindFromName(qs(s["kind"].get<std::string>()));
    }
    for (const Json &line : fx.value("expected", Json::array()))
        expected << qs(line.get<std::string>());
    if (expected.isEmpty()) {
        *why = "no expectations in " + name;
        return false;
    }
    return true;
}

} // namespace

class TestSemconv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("fixture");
        const char *names[] = {
            // the three shared samples (attribute maps) and the SDK-generated OTLP sample
            "sample-openinference-tool-calls.json",
            "sample-otel-genai-tool-calls.json",
            "sample-otel-genai-deprecated-tool-calls.json",
            "otlp-sdk-chat.json",
            "otlp-sdk-execute-tool.json",
            "otlp-sdk-invoke-agent.json",
            // one per other form
            "openllmetry-flattened.json",
            "log-events.json",
            "content-events.json",
            "operation-details-event.json",
            "system-instructions.json",
            "tool-execute.json",
            "tool-openinference.json",
            "retrieval-documents.json",
            "reranker-documents.json",
            "reported-cost.json",
            "kind-openinference-wins.json",
            "kind-operation-embeddings.json",
            "kind-unknown-openinference.json",
            "kind-model-tokens.json",
            "kind-importer-kept.json",
            "kind-tokens-without-model.json",
            "traceloop-workflow.json",
            "bad-json-input-messages.json",
            "bad-json-falls-back.json",
            "wrong-types.json",
        };
        for (const char *n : names)
            QTest::addRow("%s", n) << QString::fromLatin1(n);
    }

    void fixtures()
    {
        QFETCH(QString, fixture);
        Span span;
        QStringList expected;
        QString why;
        QVERIFY2(loadFixture(fixture, span, expected, &why), qPrintable(why));
        const Span before = span;

        semconv::normalize(span);
        QVERIFY(sameDump(dumpSpan(span), expected));
        QCOMPARE(dumpSpan(span), expected);

        // Raw data stays exactly as the producer sent it.
        QCOMPARE(span.attributes, before.attributes);
        QCOMPARE(span.events, before.events);

        // Running it again (a re-import, a store reload) changes nothing.
        Span again = span;
        semconv::normalize(again);
        QCOMPARE(dumpSpan(again), expected);
    }

    void importerFieldsKeptWithoutAttributes()
    {
        Span span;
        span.kind = SpanKind::Chain;
        span.requestModel = "claude-3-haiku";
        span.provider = "anthropic";
        span.input = Payload{"question", "text/plain"};
        span.inputMessages = {Message{"user", "hi", {}, {}, {}, {}}};
        span.tokens.input = 4;
        span.cost = Cost{0.5, 0.2, 0.3, CostSource::Reported};
        span.sessionId = "s";
        span.tags = {"x"};
        span.attributes = {Attribute{"http.method", QString("POST")}, Attribute{"net.peer.port", qint64(443)}};
        const Span before = span;
        semconv::normalize(span);
        QCOMPARE(span, before);
    }

    void attributesAddToImporterFields()
    {
        Span span;
        span.metadata = {{"from_importer", 1}};
        span.tags = {"x"};
        span.tokens.output = 9;
        span.attributes = {Attribute{"tag.tags", QVariantList{"x", "y"}},
                           Attribute{"metadata", QString(R"({"from_attribute":2})")},
                           Attribute{"gen_ai.usage.input_tokens", qint64(3)}};
        semconv::normalize(span);
        QCOMPARE(span.tags, QStringList({"x", "y"}));
        QCOMPARE(span.metadata, QVariantMap({{"from_importer", 1}, {"from_attribute", qint64(2)}}));
        QCOMPARE(span.tokens.input, 3);
        QCOMPARE(span.tokens.output, 9);
    }

    void garbageNeverCrashes_data()
    {
        QTest::addColumn<Attributes>("attributes");
        QTest::addRow("empty key") << Attributes{Attribute{"", QString("x")}};
        QTest::addRow("invalid variants") << Attributes{Attribute{"gen_ai.input.messages", QVariant()},
                                                        Attribute{"llm.token_count.prompt", QVariant()},
                                                        Attribute{"metadata", QVariant()}};
        QTest::addRow("bytes everywhere") << Attributes{Attribute{"gen_ai.input.messages", QByteArray("\xff\xfe")},
                                                        Attribute{"gen_ai.request.model", QByteArray("m")},
                                                        Attribute{"gen_ai.usage.input_tokens", QByteArray("1")}};
        QTest::addRow("huge index") << Attributes{Attribute{"llm.input_messages.99999999999999.message.role", QString("user")},
                                                  Attribute{"gen_ai.prompt.-1.role", QString("user")},
                                                  Attribute{"gen_ai.prompt..content", QString("x")},
                                                  Attribute{"retrieval.documents.x.document.id", QString("d")}};
        const QString deep = QString(QString(200000, QChar(u'[')) + QString(200000, QChar(u']')));
        const QString deepObject = QString(QString(20000, QChar(u'{')).replace("{", "{\"a\":") + "1" + QString(20000, QChar(u'}')));
        QTest::addRow("deep json") << Attributes{Attribute{"gen_ai.input.messages", deep}, Attribute{"gen_ai.output.messages", deepObject},
                                                 Attribute{"llm.invocation_parameters", deepObject}, Attribute{"metadata", deep},
                                                 Attribute{"gen_ai.prompt.0.content", deep}, Attribute{"tag.tags", deep},
                                                 Attribute{"gen_ai.system_instructions", deep},
                                                 Attribute{"gen_ai.tool.call.arguments", deep}};
        QTest::addRow("wrong shapes") << Attributes{
            Attribute{"gen_ai.input.messages", QString(R"({"role": 5, "parts": "nope", "tool_calls": {"a": 1}})")},
            Attribute{"gen_ai.output.messages", QVariantList{qint64(1), QVariantMap{{"parts", QVariantList{qint64(3), QString("t")}}}}},
            Attribute{"gen_ai.system_instructions", QVariantMap{{"x", 1}}},
            Attribute{"gen_ai.usage.input_tokens", QString("1e30")},
            Attribute{"gen_ai.usage.output_tokens", 1e300}};
    }

    void garbageNeverCrashes()
    {
        QFETCH(Attributes, attributes);
        Span span;
        span.attributes = attributes;
        span.events = {SpanEvent{0, "gen_ai.choice", attributes}, SpanEvent{0, "gen_ai.user.message", attributes}};
        semconv::normalize(span);
        QCOMPARE(span.attributes, attributes);
        QVERIFY(span.tokens.input >= -1 && span.tokens.output >= -1);
    }

    // LightJson (the fast path for message attributes) takes on plain JSON and reads it right;
    // what it refuses goes to nlohmann (tst_regressions checks the two agree).
    void lightJsonReadsPlainJson()
    {
        using semconv::detail::LightJson;
        LightJson doc;
        const QString text = QStringLiteral(
            " [ {\"role\":\"user\", \"k\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\u0000\", \"n\":-12.5e+3,"
            " \"list\":[true,false,null,{}], \"emoji\":\"\U0001F600\"}, \"x\" ]\r\n");
        QVERIFY(doc.parse(text));
        QCOMPARE(doc.node(0).type, LightJson::Type::Array);
        QCOMPARE(doc.node(0).end, 12);  // array, object, 5 members, 4 list items, "x"
        QCOMPARE(doc.node(1).type, LightJson::Type::Object);
        QCOMPARE(doc.node(2).key, u"role");
        QCOMPARE(doc.node(2).string, u"user");
        QCOMPARE(doc.node(3).string, QStringView(u"a\"b\\c/d\n\u00e9\0", 10));
        QCOMPARE(doc.node(4).type, LightJson::Type::Number);
        QCOMPARE(doc.sourceOf(doc.node(4)), u"-12.5e+3");
        QCOMPARE(doc.node(5).type, LightJson::Type::Array);
        QCOMPARE(doc.node(5).end, 10);
        QCOMPARE(doc.node(6).type, LightJson::Type::True);
        QCOMPARE(doc.node(9).type, LightJson::Type::Object);
        QCOMPARE(doc.node(10).string, QString::fromUtf8("\xF0\x9F\x98\x80"));
        QCOMPARE(doc.node(11).string, u"x");
        QCOMPARE(doc.sourceOf(doc.node(1)).front(), QLatin1Char('{'));
        QCOMPARE(doc.sourceOf(doc.node(1)).back(), QLatin1Char('}'));

        // Refused: invalid JSON, nlohmann's special cases, too deep.
        for (const QString &bad : {QStringLiteral("[1,]"), QStringLiteral("{\"a\" 1}"), QStringLiteral("01"),
                                   QStringLiteral("[1.]"), QStringLiteral("[-]"), QStringLiteral("[1e]"),
                                   QStringLiteral("[\"a\tb\"]"), QStringLiteral("[\"\\x\"]"), QStringLiteral("[\"\\u12\"]"),
                                   QStringLiteral("[\"\\ud83d\\ude00\"]"), QStringLiteral("[\"\\udc00\"]"),
                                   QString(QStringLiteral("[\"a") + QChar(0xD800) + QStringLiteral("b\"]")), QStringView(u"\xFEFF[]").toString(), QStringLiteral("[tru]"),
                                   QStringLiteral("[] []"), QStringLiteral("\"open"), QString(), QStringLiteral("[\"\u00e9\" \u00e9]"),
                                   // numbers that might overflow a double are left to nlohmann
                                   QStringLiteral("[1e309]"), QStringLiteral("[-2.5E+400]"), QString(30, QLatin1Char('9'))}) {
            QVERIFY2(!doc.parse(bad), qPrintable(bad));
        }
        // Every special character at every position of the eight-unit blocks the scan skips.
        QString kept;  // the views point into it
        auto parse = [&](const QString &text) {
            kept = text;
            return doc.parse(kept);
        };
        for (int at = 0; at < 20; ++at) {
            const QString before(at, QLatin1Char('a')), after(11, QChar(0x00e9));
            const QString quote(QLatin1Char('"'));
            QVERIFY(parse(quote + before + QStringLiteral("\\n") + after + quote));
            QCOMPARE(doc.node(0).string, QString(before + u'\n' + after));
            QVERIFY(parse(quote + before + QString::fromUtf8("\xF0\x9F\x98\x80") + after + quote));
            QCOMPARE(doc.node(0).string.size(), at + 2 + 11);
            QVERIFY(parse(quote + before + quote));
            QCOMPARE(doc.node(0).string, before);
            for (const char16_t bad : {char16_t(0x01), char16_t(0x1f), char16_t(0xDC00), char16_t(0xD800)})
                QVERIFY(!parse(quote + before + QChar(bad) + after + quote));
            QVERIFY(!parse(quote + before + after));
            QVERIFY(parse(quote + before + QChar(0x20) + QChar(0xD7FF) + QChar(0xE000) + QChar(0xFFFF) + after + quote));
            QCOMPARE(doc.node(0).string.size(), at + 4 + 11);
        }

        QVERIFY(doc.parse(QStringLiteral("[1.5e12, -0.25, 123456789012345678, 0]")));
        QCOMPARE(doc.sourceOf(doc.node(1)), u"1.5e12");

        const QString deepest = QString(64, QLatin1Char('[')) + QString(64, QLatin1Char(']'));
        const QString tooDeep = QString(65, QLatin1Char('[')) + QString(65, QLatin1Char(']'));
        QVERIFY(doc.parse(deepest));
        QVERIFY(!doc.parse(tooDeep));

        // The GenAI messages of a generated LLM span go the fast way and read as nlohmann reads them.
        const QString genai = QStringLiteral(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\\n\u691c\u7d22\"}]},"
            "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"weather\","
            "\"arguments\":{\"city\":\"Paris\",\"days\":3.0}}],\"finish_reason\":\"tool_calls\"}]");
        QVERIFY(doc.parse(genai));
        Messages fast;
        QCOMPARE(semconv::detail::appendMessagesFromText(genai, QStringLiteral("user"), fast), std::optional<bool>(true));
        QCOMPARE(fast.size(), 2);
        QCOMPARE(fast[0].content, QStringLiteral("Weather in Paris?\n\u691c\u7d22"));
        QCOMPARE(fast[1].toolCalls.size(), 1);
        QCOMPARE(fast[1].toolCalls[0].arguments, QStringLiteral("{\"city\":\"Paris\",\"days\":3.0}"));
        QCOMPARE(fast[1].finishReason, QStringLiteral("tool_calls"));
        Messages dom;
        QVERIFY(semconv::detail::appendMessages(*semconv::detail::parseJson(genai), QStringLiteral("user"), dom));
        QCOMPARE(fast, dom);
        QCOMPARE(semconv::detail::appendMessagesFromText(u"[{\"role\":", QStringLiteral("user"), fast), std::nullopt);
    }

    void throughput()
    {
        // An LLM span shaped like the SDK sample, and a plain HTTP span: most spans of a big
        // trace are the latter and must cost next to nothing.
        Span llm;
        QString why;
        QStringList expected;
        QVERIFY2(loadFixture("otlp-sdk-chat.json", llm, expected, &why), qPrintable(why));
        Span http;
        for (int i = 0; i < 12; ++i)
            http.attributes << Attribute{QStringLiteral("http.attribute_%1").arg(i), QString("value")};
        http.attributes << Attribute{"service.version", QString("1.0")} << Attribute{"net.peer.port", qint64(443)};

        const int llmCount = 20000, httpCount = 200000;
        SpanList llmSpans(llmCount, llm), httpSpans(httpCount, http);
        QElapsedTimer t;
        t.start();
        for (Span &s : llmSpans)
            semconv::normalize(s);
        const double llmUs = t.nsecsElapsed() / 1000.0 / llmCount;
        t.restart();
        for (Span &s : httpSpans)
            semconv::normalize(s);
        const double httpUs = t.nsecsElapsed() / 1000.0 / httpCount;
        qDebug("normalize: %.2f us per LLM span (2 JSON message attributes), %.3f us per 14-attribute plain span",
               llmUs, httpUs);
        QCOMPARE(llmSpans.last().outputMessages.size(), 1);
        QCOMPARE(httpSpans.last().kind, SpanKind::Span);
    }
};

QTEST_GUILESS_MAIN(TestSemconv)
#include "tst_semconv.moc"
