// Secrets in traces: replaced on import by default, kept on request, ordinary text untouched.
#include "vendortesthelpers.h"

#include "formats/redaction.h"

#include <QTest>

using namespace spanscope;
using namespace spanscope::test;

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void text_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("openai key") << "key is sk-abcdefghijklmnop123 ok" << "key is sk-[REDACTED] ok";
        QTest::addRow("project key") << "sk-proj-AbCdEf0123456789xyz" << "sk-proj-[REDACTED]";
        QTest::addRow("anthropic key") << "use sk-ant-api03-AAAABBBBCCCCDDDD" << "use sk-ant-api03-[REDACTED]";
        QTest::addRow("bearer header") << "Authorization: Bearer abc.def-123" << "Authorization: Bearer [REDACTED]";
        QTest::addRow("bearer short key") << "Bearer k1" << "Bearer [REDACTED]";
        QTest::addRow("basic credentials") << "Basic dXNlcjpwYXNzd29yZA==" << "Basic [REDACTED]";
        QTest::addRow("json api_key") << "{\"provider\":\"openai\",\"api_key\":\"sk-mock\",\"x\":1}" << "{\"provider\":\"openai\",\"api_key\":\"sk-[REDACTED]\",\"x\":1}";
        QTest::addRow("json apiKey") << "{\"apiKey\": \"k2\", \"retry\": 1}" << "{\"apiKey\": \"[REDACTED]\", \"retry\": 1}";
        QTest::addRow("json x-api-key") << "{\"x-api-key\":\"abcd1234\"}" << "{\"x-api-key\":\"[REDACTED]\"}";
        QTest::addRow("json authorization") << "{\"authorization\":\"Bearer sk-mock\"}" << "{\"authorization\":\"Bearer [REDACTED]\"}";
        QTest::addRow("json password with escapes") << "{\"password\":\"p\\\"w\\\\d\"}" << "{\"password\":\"[REDACTED]\"}";
        QTest::addRow("header dump") << "x-api-key: abcdef123\ncontent-type: json" << "x-api-key: [REDACTED]\ncontent-type: json";
        QTest::addRow("url parameter") << "https://x.test/v1?key=AIzaSecret&alt=json" << "https://x.test/v1?key=[REDACTED]&alt=json";
        QTest::addRow("google key") << "AIzaSyA-1234567890abcdefghijklmnopqrstu" << "AIza[REDACTED]";
        QTest::addRow("aws key id") << "AKIAIOSFODNN7EXAMPLE" << "AKIA[REDACTED]";
        QTest::addRow("github token") << "ghp_0123456789abcdefghijABCDEFGHIJ" << "ghp_[REDACTED]";
        QTest::addRow("hugging face token") << "hf_abcdefghijklmnopqrstuvwxyz" << "hf_[REDACTED]";
        // Text that only looks a little like a secret stays as it is.
        QTest::addRow("risk-free") << "a risk-free plan" << "a risk-free plan";
        QTest::addRow("task-based") << "task-based agents, sk-learn" << "task-based agents, sk-learn";
        QTest::addRow("basic auth prose") << "Basic authentication is weak" << "Basic authentication is weak";
        QTest::addRow("bearer prose") << "the bearer should sign" << "the bearer should sign";
        QTest::addRow("token counts") << "{\"prompt_tokens\":12,\"api\":\"v1\",\"key\":\"name\"}" << "{\"prompt_tokens\":12,\"api\":\"v1\",\"key\":\"name\"}";
        QTest::addRow("empty") << "" << "";
        QTest::addRow("already redacted") << "Bearer [REDACTED] sk-[REDACTED]" << "Bearer [REDACTED] sk-[REDACTED]";
    }
    void text()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        bool changed = false;
        const QString out = redaction::redactText(input, &changed);
        QCOMPARE(out, expected);
        QCOMPARE(changed, input != expected);
        QCOMPARE(redaction::redactText(out), out);   // idempotent
    }

    // The scan that decides whether text needs the expensive rules works on blocks of eight
    // characters: a secret is found wherever it falls relative to those blocks and after any kind
    // of separator, and text that only looks like one stays untouched at every offset too.
    void textAtEveryOffset()
    {
        const QList<std::pair<QString, QString>> cases = {
            {"sk-abcdefghijklmnop123", "sk-[REDACTED]"},
            {"Bearer abc.def-123", "Bearer [REDACTED]"},
            {"{\"api_key\":\"k2\"}", "{\"api_key\":\"[REDACTED]\"}"},
            {"x-api-key: abcdef123\n", "x-api-key: [REDACTED]\n"},
            {"https://x.test/v1?key=AIzaSecret&alt=json", "https://x.test/v1?key=[REDACTED]&alt=json"},
            {"ghp_0123456789abcdefghijABCDEFGHIJ", "ghp_[REDACTED]"},
            {"xoxb-1234567890-abcdefghij", "xoxb-[REDACTED]"},
            {"gho_0123456789abcdefghijABCDEFGHIJ", "gho_[REDACTED]"},
            {"github_pat_0123456789abcdefghij_ABCDEFGHIJ", "github_pat_[REDACTED]"},
            {"hf_abcdefghijklmnopqrstuvwxyz", "hf_[REDACTED]"},
            {"AKIAIOSFODNN7EXAMPLE", "AKIA[REDACTED]"},
            {"client_secret=abcd1234xyz;", "client_secret=[REDACTED];"},
            {"secret-key: abcd1234xyz;", "secret-key: [REDACTED];"},
            {"access_token=abcd1234xyz;", "access_token=[REDACTED];"},
            {"REFRESH_TOKEN=abcd1234xyz;", "REFRESH_TOKEN=[REDACTED];"},
            {"password: hunter2hunter2;", "password: [REDACTED];"},
            {"Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [REDACTED]"},
            {"https://x.test/?token=abcd1234xyz", "https://x.test/?token=[REDACTED]"},
            {"a risk-free plan", "a risk-free plan"},
            {"task-based agents", "task-based agents"},
        };
        for (const auto &[secret, redacted] : cases) {
            for (const QString &filler : {QStringLiteral(" "), QStringLiteral("\n"), QStringLiteral("é "), QStringLiteral("(")}) {
                for (int offset = 0; offset < 40; ++offset) {
                    const QString prefix = QStringLiteral("word").repeated(offset / 4) + QString(offset % 4, QLatin1Char('z')) + filler;
                    const QString tail = QStringLiteral(" and some ordinary words after it");
                    QCOMPARE(redaction::redactText(prefix + secret + tail), prefix + redacted + tail);
                }
            }
        }
    }

    void credentialKeys()
    {
        for (const char *k : {"authorization", "http.request.header.authorization", "x-api-key", "api_key", "apiKey", "API-KEY",
                              "openai_api_key", "x-portkey-api-key", "password", "client_secret", "access_token"})
            QVERIFY2(redaction::isCredentialKey(QString::fromLatin1(k)), k);
        for (const char *k : {"Proxy-Authorization", "X-Amz-Security-Token", "refresh-token", "a.b.SECRET_KEY", "Client-Secret"})
            QVERIFY2(redaction::isCredentialKey(QString::fromLatin1(k)), k);
        for (const char *k : {"key", "token", "gen_ai.usage.input_tokens", "keys", "author", "monkey", "primary_key", "apikeys",
                              "my_password_hint", "password.length", "api_key.", "", "."})
            QVERIFY2(!redaction::isCredentialKey(QString::fromLatin1(k)), k);
        QCOMPARE(redaction::redactCredential("plainsecret"), QStringLiteral("[REDACTED]"));
        QCOMPARE(redaction::redactCredential("sk-mock"), QStringLiteral("sk-[REDACTED]"));
        QCOMPARE(redaction::redactCredential("Bearer x"), QStringLiteral("Bearer [REDACTED]"));
        QCOMPARE(redaction::redactCredential("[REDACTED]"), QStringLiteral("[REDACTED]"));
    }

    void span()
    {
        Span s;
        s.attributes = {{"http.request.header.authorization", QStringLiteral("Bearer abc")},
                        {"config", QVariantMap{{"api_key", QStringLiteral("plain")}, {"model", QStringLiteral("gpt-4o")}}},
                        {"keys", QVariantList{QStringLiteral("sk-aaaaaaaaaaaaaaaa"), QStringLiteral("hello")}},
                        {"tokens", qint64(5)},
                        {"note", QStringLiteral("nothing to see")}};
        s.events = {SpanEvent{1, "log", {{"api-key", QStringLiteral("zzz")}}}};
        s.resourceAttributes = {{"deploy.token", QStringLiteral("x")}, {"access_token", QStringLiteral("tok123")}};
        s.input.value = QStringLiteral("my key is sk-abcdefghijklmnop");
        s.inputMessages = {Message{"user", "Bearer 0123456789", {}, {}, {}, {}}};
        s.statusMessage = QStringLiteral("401: Incorrect API key provided: sk-proj-0123456789abcdef");
        const int n = redaction::redactSpan(s);
        QCOMPARE(n, 8);
        QCOMPARE(attributeValue(s.attributes, u"http.request.header.authorization"), QVariant(QStringLiteral("Bearer [REDACTED]")));
        QCOMPARE(attributeValue(s.attributes, u"config").toMap().value("api_key"), QVariant(QStringLiteral("[REDACTED]")));
        QCOMPARE(attributeValue(s.attributes, u"config").toMap().value("model"), QVariant(QStringLiteral("gpt-4o")));
        QCOMPARE(attributeValue(s.attributes, u"keys").toList(), (QVariantList{QStringLiteral("sk-[REDACTED]"), QStringLiteral("hello")}));
        QCOMPARE(attributeValue(s.attributes, u"tokens"), QVariant(qint64(5)));
        QCOMPARE(attributeValue(s.attributes, u"note"), QVariant(QStringLiteral("nothing to see")));
        QCOMPARE(attributeValue(s.events[0].attributes, u"api-key"), QVariant(QStringLiteral("[REDACTED]")));
        QCOMPARE(attributeValue(s.resourceAttributes, u"deploy.token"), QVariant(QStringLiteral("x")));
        QCOMPARE(attributeValue(s.resourceAttributes, u"access_token"), QVariant(QStringLiteral("[REDACTED]")));
        QCOMPARE(s.input.value, QStringLiteral("my key is sk-[REDACTED]"));
        QCOMPARE(s.inputMessages[0].content, QStringLiteral("Bearer [REDACTED]"));
        QCOMPARE(s.statusMessage, QStringLiteral("401: Incorrect API key provided: sk-proj-[REDACTED]"));
        QCOMPARE(redaction::redactSpan(s), 0);
    }

    // Values without secrets are only read: a list shared by several spans (resource attributes
    // are) stays shared, and one with a secret is copied for the span being redacted only.
    void sharedListsStayShared()
    {
        Span a;
        a.resourceAttributes = {{"service.name", QStringLiteral("svc")},
                                {"config", QVariantMap{{"region", QStringLiteral("eu")}, {"tags", QVariantList{QStringLiteral("a")}}}}};
        a.events = {SpanEvent{1, "log", {{"message", QStringLiteral("nothing secret here at all")}}}};
        a.parameters = QVariantMap{{"temperature", 0.2}, {"stop", QVariantList{QStringLiteral("basically")}}};
        Span b = a;
        QCOMPARE(redaction::redactSpan(a), 0);
        QVERIFY(a.resourceAttributes.isSharedWith(b.resourceAttributes));
        QVERIFY(a.events.isSharedWith(b.events));

        b.resourceAttributes.append({"api_key", QStringLiteral("abc")});
        Span c = b;
        QCOMPARE(redaction::redactSpan(c), 1);
        QCOMPARE(attributeValue(c.resourceAttributes, u"api_key"), QVariant(QStringLiteral("[REDACTED]")));
        QCOMPARE(attributeValue(b.resourceAttributes, u"api_key"), QVariant(QStringLiteral("abc")));
        QCOMPARE(attributeValue(c.resourceAttributes, u"config"), attributeValue(b.resourceAttributes, u"config"));
    }

    void onImportByDefault_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("secrets");
        QTest::addRow("hook posts") << "samples/portkey-gateway/hook-posts.jsonl" << QStringList{"sk-mock-secret", "\"api_key\":\"sk-mock\""};
        QTest::addRow("log stream") << "samples/portkey-gateway/run2-log-stream-raw.sse"
                                    << QStringList{"sk-mock-not-a-real-key", "sk-mock-config-key", "Bearer k1", "\"apiKey\":\"k2\""};
        QTest::addRow("fallbacks") << "vendor/portkey-sse-retries.sse" << QStringList{"azure-key-0123456789", "sk-second-0123456789abcdef"};
    }
    void onImportByDefault()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, secrets);
        const Imported redacted = importNormalized(dataPath(file));
        ImportOptions keep;
        keep.keepSecrets = true;
        const Imported kept = importNormalized(dataPath(file), keep);
        QCOMPARE(redacted.spans.size(), kept.spans.size());
        for (const QString &secret : secrets) {
            bool inKept = false;
            for (const Span &s : kept.spans)
                inKept = inKept || anyTextContains(s, secret);
            QVERIFY2(inKept, qPrintable(secret));
            for (const Span &s : redacted.spans)
                QVERIFY2(!anyTextContains(s, secret), qPrintable(secret));
        }
        // Everything that is not a secret is the same.
        for (qsizetype i = 0; i < kept.spans.size(); ++i) {
            QCOMPARE(redacted.spans[i].name, kept.spans[i].name);
            QCOMPARE(redacted.spans[i].inputMessages, kept.spans[i].inputMessages);
            QCOMPARE(redacted.spans[i].outputMessages, kept.spans[i].outputMessages);
            QCOMPARE(redacted.spans[i].tokens, kept.spans[i].tokens);
            QCOMPARE(redacted.spans[i].attributes.size(), kept.spans[i].attributes.size());
        }
    }

    void otlpAttributesToo()
    {
        const QByteArray otlp = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\",\"name\":\"call\",\"attributes\":[{\"key\":\"http.request.header.authorization\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"Bearer sk-live-abcdefghijkl\"}]}}},{\"key\":\"gen_ai.prompt\",\"value\":{\"stringValue\":\"hello\"}}]}]}]}]}";
        Collected out;
        importData(otlp, out);
        QCOMPARE(out.spans.size(), 1);
        QCOMPARE(attributeValue(out.spans[0].attributes, u"http.request.header.authorization").toList(),
                 QVariantList{QStringLiteral("Bearer [REDACTED]")});
        QCOMPARE(attributeValue(out.spans[0].attributes, u"gen_ai.prompt"), QVariant(QStringLiteral("hello")));
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
