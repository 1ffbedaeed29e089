// Runs the real `spanscope` binary as a script would.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "clitest.h"

using namespace clitest;

namespace {

QString sample(const QString &name)
{
    return testData(QStringLiteral("samples/") + name);
}

QString cliData(const QString &name)
{
    return testData(QStringLiteral("cli/") + name);
}

QJsonObject spanNamed(const QJsonArray &spans, const QString &name, int nth = 0)
{
    for (const QJsonValue &v : spans) {
        if (v[QStringLiteral("name")].toString() == name && nth-- == 0)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString db(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void versionAndUsage()
    {
        const Run v = spanscope({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("spanscope "));
        const Run bad = spanscope({"traces", "--status", "maybe", "--db", db("usage.sqlite")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("--status"));
        const Run noFiles = spanscope({"import", "--db", db("usage.sqlite")});
        QCOMPARE(noFiles.exitCode, 2);
    }

    void jsonAndProtobufImportToTheSameSpans()
    {
        const Run a = spanscope({"import", "--db", db("json.sqlite"), sample("otlp-genai-sdk-generated.json")});
        QCOMPARE(a.exitCode, 0);
        const Run b = spanscope({"import", "--db", db("pb.sqlite"), sample("otlp-genai-sdk-generated.binpb")});
        QCOMPARE(b.exitCode, 0);
        const QJsonArray ta = json(spanscope({"traces", "--json", "--db", db("json.sqlite")}))["traces"].toArray();
        const QJsonArray tb = json(spanscope({"traces", "--json", "--db", db("pb.sqlite")}))["traces"].toArray();
        QCOMPARE(ta.size(), 1);
        QCOMPARE(ta, tb);
        const QString id = ta.first()["traceId"].toString();
        const QJsonObject sa = json(spanscope({"show", "--json", "--db", db("json.sqlite"), id}));
        const QJsonObject sb = json(spanscope({"show", "--json", "--db", db("pb.sqlite"), id}));
        QVERIFY(sa["spans"].toArray().size() >= 3);
        QCOMPARE(sa, sb);
    }

    void openInferenceAgentGivesLlmSpanWithComputedCost()
    {
        const Run imp = spanscope({"import", "--db", db("oi.sqlite"), cliData("openinference-agent-trace.json")});
        QCOMPARE(imp.exitCode, 0);
        QVERIFY2(imp.out.contains("5 spans imported"), qPrintable(imp.out));
        const QJsonObject trace = json(spanscope({"show", "--json", "--db", db("oi.sqlite"), "7b3e1f0c"}));
        QCOMPARE(trace["traceId"].toString(), QStringLiteral("7b3e1f0c9a2d4e6f8a1b2c3d4e5f6a7b"));
        const QJsonArray spans = trace["spans"].toArray();
        QCOMPARE(spans.size(), 5);

        // Tree order: the agent root first, then its children by start time.
        QCOMPARE(spans[0]["name"].toString(), QStringLiteral("TravelAgent.run"));
        QCOMPARE(spans[0]["kind"].toString(), QStringLiteral("agent"));
        QVERIFY(spans[0]["parentSpanId"].toString().isEmpty());
        for (int i = 1; i < spans.size(); ++i) {
            QCOMPARE(spans[i]["parentSpanId"].toString(), spans[0]["spanId"].toString());
            QVERIFY(spans[i]["startTimeUnixNano"].toString().toLongLong() >= spans[i - 1]["startTimeUnixNano"].toString().toLongLong());
        }

        const QJsonObject llm = spans[1].toObject();
        QCOMPARE(llm["kind"].toString(), QStringLiteral("llm"));
        QCOMPARE(llm["model"].toString(), QStringLiteral("gpt-4o-2024-08-06"));
        QCOMPARE(llm["provider"].toString(), QStringLiteral("openai"));
        QCOMPARE(llm["inputTokens"].toInt(), 182);
        QCOMPARE(llm["outputTokens"].toInt(), 24);
        QCOMPARE(llm["totalTokens"].toInt(), 206);
        QCOMPARE(llm["costSource"].toString(), QStringLiteral("computed"));
        // gpt-4o: $2.50 / M input, $10 / M output (genai-prices 0.1.8).
        QVERIFY(qAbs(llm["costUsd"].toDouble() - (182 * 2.5 + 24 * 10.0) / 1e6) < 1e-9);
        const QJsonArray messages = llm["messages"].toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[0]["role"].toString(), QStringLiteral("system"));
        QCOMPARE(messages[1]["role"].toString(), QStringLiteral("user"));
        QVERIFY(messages[1]["content"].toString().contains("weather in Paris"));
        QCOMPARE(messages[2]["role"].toString(), QStringLiteral("assistant"));
        const QJsonArray calls = messages[2]["toolCalls"].toArray();
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls[0]["name"].toString(), QStringLiteral("get_weather"));
        QCOMPARE(calls[0]["id"].toString(), QStringLiteral("call_wx1"));
        QCOMPARE(QJsonDocument::fromJson(calls[0]["arguments"].toString().toUtf8())["city"].toString(), QStringLiteral("Paris"));
        QCOMPARE(llm["attributes"]["llm.token_count.prompt"].toInt(), 182);

        // Cached input is priced at the cache-read rate: 341 in (128 cached), 48 out.
        const QJsonObject llm2 = spanNamed(spans, "ChatCompletion", 1);
        QCOMPARE(llm2["costSource"].toString(), QStringLiteral("computed"));
        QVERIFY(qAbs(llm2["costUsd"].toDouble() - ((341 - 128) * 2.5 + 128 * 1.25 + 48 * 10.0) / 1e6) < 1e-9);

        const QJsonObject tool = spanNamed(spans, "get_weather");
        QCOMPARE(tool["kind"].toString(), QStringLiteral("tool"));
        QCOMPARE(tool["costSource"].toString(), QStringLiteral("none"));
        QVERIFY(tool["costUsd"].isNull());
        QCOMPARE(spans[0]["sessionId"].toString(), QStringLiteral("sess-0042"));

        const QJsonArray list = json(spanscope({"traces", "--json", "--db", db("oi.sqlite")}))["traces"].toArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject t = list[0].toObject();
        QCOMPARE(t["spanCount"].toInt(), 5);
        QCOMPARE(t["inputTokens"].toInt(), 182 + 341);
        QCOMPARE(t["outputTokens"].toInt(), 24 + 48);
        QVERIFY(qAbs(t["costUsd"].toDouble() - (llm["costUsd"].toDouble() + llm2["costUsd"].toDouble())) < 1e-12);
        QCOMPARE(t["models"].toArray(), QJsonArray{"gpt-4o-2024-08-06"});
        QCOMPARE(t["sessionId"].toString(), QStringLiteral("sess-0042"));
        QCOMPARE(t["userId"].toString(), QStringLiteral("alice@example.com"));
        QVERIFY(t["durationNs"].toDouble() > 4.1e9);

        // The text form shows the same tree.
        const Run text = spanscope({"show", "--db", db("oi.sqlite"), "7b3e1f0c9a2d4e6f8a1b2c3d4e5f6a7b"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QRegularExpression("\\n  ChatCompletion  \\[llm\\]  gpt-4o-2024-08-06  1\\.50 s")), qPrintable(text.out));
    }

    void truncatedFileKeepsValidSpansAndFails()
    {
        QFile src(sample("otlp-genai-sdk-generated.json"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray all = src.readAll();
        // Cut in the middle of the last span so the earlier spans are complete.
        const int cut = all.lastIndexOf("\"startTimeUnixNano\"");
        QVERIFY(cut > 0);
        const QString path = m_dir.filePath("truncated.json");
        QFile dst(path);
        QVERIFY(dst.open(QIODevice::WriteOnly));
        dst.write(all.left(cut + 5));
        dst.close();

        const Run r = spanscope({"import", "--db", db("trunc.sqlite"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QRegularExpression(QRegularExpression::escape(path) + ":byte [0-9]+: ")), qPrintable(r.err));
        const QJsonArray traces = json(spanscope({"traces", "--json", "--db", db("trunc.sqlite")}))["traces"].toArray();
        QCOMPARE(traces.size(), 1);
        // Every span of this sample ends with its droppedLinksCount field.
        const int complete = all.left(cut).count("\"droppedLinksCount\"");
        QVERIFY(complete >= 1);
        QCOMPARE(traces[0]["spanCount"].toInt(), complete);
    }

    void reimportDoesNotDuplicate()
    {
        const QStringList args{"import", "--db", db("re.sqlite"), sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json")};
        QCOMPARE(spanscope(args).exitCode, 0);
        const QJsonObject first = json(spanscope({"traces", "--json", "--db", db("re.sqlite")}));
        QCOMPARE(spanscope(args).exitCode, 0);
        const Run again = spanscope({"import", "--db", db("re.sqlite"), sample("otlp-genai-sdk-generated.binpb")});
        QCOMPARE(again.exitCode, 0);
        const QJsonObject second = json(spanscope({"traces", "--json", "--db", db("re.sqlite")}));
        QCOMPARE(second, first);
        QCOMPARE(first["traces"].toArray().size(), 2);
    }

    void traceFilters()
    {
        const QString w = db("filters.sqlite");
        QCOMPARE(spanscope({"import", "--db", w, sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json"),
                            sample("otlp-trace.json")})
                     .exitCode,
                 0);
        auto ids = [&](const QStringList &extra) {
            QStringList args{"traces", "--json", "--db", w};
            args += extra;
            QStringList out;
            for (const QJsonValue &t : json(spanscope(args))["traces"].toArray())
                out << t["traceId"].toString().left(8);
            out.sort();
            return out;
        };
        QCOMPARE(ids({}).size(), 3);
        QCOMPARE(ids({"--model", "gpt-4o-2024-08-06"}), QStringList{"7b3e1f0c"});
        QCOMPARE(ids({"--limit", "1"}).size(), 1);
        QCOMPARE(ids({"--search", "umbrella"}), QStringList{"7b3e1f0c"});
        QCOMPARE(ids({"--search", "no-such-word-anywhere"}), QStringList{});
        QCOMPARE(ids({"--since", "2030-01-01"}), QStringList{});
        // otlp-trace.json is from 2018, the others from 2026.
        QCOMPARE(ids({"--since", "2020-01-01T00:00:00Z"}).size(), 2);
        QCOMPARE(ids({"--until", "2020-01-01T00:00:00Z"}).size(), 1);
        QCOMPARE(ids({"--until", "not-a-time"}), QStringList{});   // usage error, no traces
        QCOMPARE(spanscope({"traces", "--until", "not-a-time", "--db", w}).exitCode, 2);
        // The same filters as stats and export: service, user, session.
        const QJsonArray every = json(spanscope({"traces", "--json", "--db", w}))["traces"].toArray();
        QString service;
        for (const QJsonValue &t : every) {
            if (t["traceId"].toString().startsWith("7b3e1f0c"))
                service = t["service"].toString();
        }
        QVERIFY(!service.isEmpty());
        QVERIFY(ids({"--service", service}).contains("7b3e1f0c"));
        QVERIFY(ids({"--service", service}).size() < 3);
        QCOMPARE(ids({"--service", "no-such-service"}), QStringList{});
        QCOMPARE(ids({"--user", "no-such-user"}), QStringList{});
        QCOMPARE(ids({"--session", "no-such-session"}), QStringList{});
        // Default newest first.
        const QJsonArray all = json(spanscope({"traces", "--json", "--db", w}))["traces"].toArray();
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1]["startTimeUnixNano"].toString().toLongLong() >= all[i]["startTimeUnixNano"].toString().toLongLong());
    }

    void environmentSelectsWorkspace()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SPANSCOPE_DB", db("env.sqlite"));
        QCOMPARE(spanscope({"import", sample("otlp-trace.json")}, env).exitCode, 0);
        QVERIFY(QFile::exists(db("env.sqlite")));
        QCOMPARE(json(spanscope({"traces", "--json"}, env))["traces"].toArray().size(), 1);
    }

    void unknownTraceAndForeignFile()
    {
        const Run r = spanscope({"show", "--db", db("empty.sqlite"), "deadbeef"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("deadbeef"));
        // A file that is not a workspace is refused and left alone.
        const QString foreign = m_dir.filePath("notes.txt");
        QFile f(foreign);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some notes\n");
        f.close();
        const Run bad = spanscope({"traces", "--db", foreign});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains("notes.txt"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("just some notes\n"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
