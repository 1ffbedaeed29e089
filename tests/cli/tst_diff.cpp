// `spanscope diff` run as a CI step would: import two runs of the same agent, diff them.
//
// tests/data/compare/run-a.json and run-b.json (OpenInference over OTLP JSON) are one travel agent
// run twice. B differs by a changed prompt ("cheap" -> "quiet" in the user message of both LLM
// calls), an extra tool call (get_reviews, 800 ms) and a model change of the second LLM call
// (gpt-4o -> gpt-4o-mini, span renamed "chat gpt-4o" -> "chat gpt-4o-mini", 1.5 s -> 1.8 s,
// 400/60 -> 520/80 tokens). The root runs 4.0 s in A and 5.2 s in B.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "clitest.h"

using namespace clitest;

namespace {

QString data(const QString &name)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/compare/") + name;
}

constexpr qint64 kMs = 1'000'000;

// Prices of genai-prices 0.1.8, USD per token.
constexpr double kGpt4oIn = 2.5e-6, kGpt4oOut = 10e-6;
constexpr double kMiniIn = 0.15e-6, kMiniOut = 0.6e-6;

} // namespace

class TestDiff : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    QJsonObject m_diff;
    const QJsonObject &diff() const { return m_diff; }

    QJsonObject rowNamed(const char *side, const QString &name) const
    {
        for (const QJsonValue &r : diff()["rows"].toArray()) {
            if (r[side].isObject() && r[side]["name"].toString() == name)
                return r.toObject();
        }
        return {};
    }
    static QJsonObject change(const QJsonObject &row, const QString &field)
    {
        for (const QJsonValue &c : row["changes"].toArray()) {
            if (c["field"].toString() == field)
                return c.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("diff.sqlite");
        const Run imp = spanscope({"import", "--db", m_db, data("run-a.json"), data("run-b.json")});
        QVERIFY2(imp.exitCode == 0, qPrintable(imp.err));
        const Run r = spanscope({"diff", "--db", m_db, "--json", "d1ff0000a", "d1ff0000b"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError e;
        m_diff = QJsonDocument::fromJson(r.out.toUtf8(), &e).object();
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(r.out.left(500)));
    }

    void tracesAreNamed()
    {
        QCOMPARE(diff()["a"]["traceId"].toString(), "d1ff0000aaaa0000aaaa0000aaaa0001");
        QCOMPARE(diff()["b"]["traceId"].toString(), "d1ff0000bbbb0000bbbb0000bbbb0002");
        QCOMPARE(diff()["a"]["spanCount"].toInt(), 4);
        QCOMPARE(diff()["b"]["spanCount"].toInt(), 5);
    }

    void summaryDeltas()
    {
        const QJsonObject s = diff()["summary"].toObject();
        QCOMPARE(s["deltaDurationNs"].toInteger(), 1200 * kMs);
        QCOMPARE(s["deltaInputTokens"].toInt(), (200 + 520) - (200 + 400));
        QCOMPARE(s["deltaOutputTokens"].toInt(), (20 + 80) - (20 + 60));
        const double costA = (200 + 400) * kGpt4oIn + (20 + 60) * kGpt4oOut;
        const double costB = 200 * kGpt4oIn + 20 * kGpt4oOut + 520 * kMiniIn + 80 * kMiniOut;
        QVERIFY2(qAbs(s["deltaCostUsd"].toDouble() - (costB - costA)) < 1e-12, qPrintable(QString::number(s["deltaCostUsd"].toDouble())));
        QCOMPARE(s["deltaErrors"].toInt(), 0);
        QCOMPARE(s["added"].toInt(), 1);
        QCOMPARE(s["removed"].toInt(), 0);
        QCOMPARE(s["changed"].toInt(), 3);  // root (duration +30 %), both LLM calls
        QCOMPARE(s["same"].toInt(), 1);     // search_hotels

        // By self time: the added tool (+800 ms), the slower LLM call (+300 ms), the root's own
        // time (4.0 - 3.8 = 0.2 s -> 5.2 - 4.9 = 0.3 s).
        const QJsonArray top = s["topLatency"].toArray();
        QCOMPARE(top.size(), 3);
        QCOMPARE(top[0]["name"].toString(), "get_reviews");
        QCOMPARE(top[0]["status"].toString(), "added");
        QCOMPARE(top[0]["deltaSelfNs"].toInteger(), 800 * kMs);
        QCOMPARE(top[1]["name"].toString(), "chat gpt-4o-mini");
        QCOMPARE(top[1]["deltaSelfNs"].toInteger(), 300 * kMs);
        QCOMPARE(top[2]["name"].toString(), "TravelAgent.run");
        QCOMPARE(top[2]["deltaSelfNs"].toInteger(), 100 * kMs);
        const QJsonArray topCost = s["topCost"].toArray();
        QCOMPARE(topCost.size(), 1);
        QCOMPARE(topCost[0]["name"].toString(), "chat gpt-4o-mini");
    }

    void alignedRows()
    {
        QStringList rows;
        for (const QJsonValue &r : diff()["rows"].toArray()) {
            const QJsonValue side = r["b"].isObject() ? r["b"] : r["a"];
            rows << QString(r["depth"].toInt() * 2, ' ') + r["status"].toString() + " " + side["name"].toString();
        }
        QCOMPARE(rows, (QStringList{"changed TravelAgent.run", "  changed chat gpt-4o", "  same search_hotels",
                                    "  added get_reviews", "  changed chat gpt-4o-mini"}));
    }

    void addedToolCall()
    {
        const QJsonObject row = rowNamed("b", "get_reviews");
        QCOMPARE(row["status"].toString(), "added");
        QVERIFY(row["a"].isNull());
        QCOMPARE(row["b"]["kind"].toString(), "tool");
        QCOMPARE(row["b"]["durationNs"].toInteger(), 800 * kMs);
        QCOMPARE(row["deltaDurationNs"].toInteger(), 800 * kMs);
    }

    void changedPromptHasAWordDiff()
    {
        const QJsonObject row = rowNamed("b", "chat gpt-4o");
        QCOMPARE(row["status"].toString(), "changed");
        QCOMPARE(row["changed"].toArray(), (QJsonArray{"input", "messages"}));
        const QJsonObject messages = change(row, "messages");
        QCOMPARE(messages["mode"].toString(), "json");
        const QJsonArray keys = messages["keys"].toArray();
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys[0]["path"].toString(), "messages[1].content");
        QCOMPARE(keys[0]["change"].toString(), "changed");
        QCOMPARE(keys[0]["wordDiff"].toString(), "Find a [-cheap-]{+quiet+} hotel in Paris for two nights.");
        // Tool-call ids differ between the runs (call_a1, call_b1) and do not count.
        QCOMPARE(change(row, "input")["keys"][0]["path"].toString(), "messages[1].content");
    }

    void modelChange()
    {
        const QJsonObject row = rowNamed("b", "chat gpt-4o-mini");
        QCOMPARE(row["status"].toString(), "changed");
        QCOMPARE(row["a"]["name"].toString(), "chat gpt-4o");
        QCOMPARE(row["a"]["model"].toString(), "gpt-4o");
        QCOMPARE(row["b"]["model"].toString(), "gpt-4o-mini");
        const QJsonObject model = change(row, "model");
        QCOMPARE(model["a"].toString(), "gpt-4o");
        QCOMPARE(model["b"].toString(), "gpt-4o-mini");
        QVERIFY(row["changed"].toArray().contains("name"));
        QVERIFY(row["changed"].toArray().contains("tokens"));
        QVERIFY(row["changed"].toArray().contains("cost"));
        // 1.5 s -> 1.8 s is within the 20 % tolerance.
        QVERIFY(!row["changed"].toArray().contains("duration"));
        QCOMPARE(row["deltaDurationNs"].toInteger(), 300 * kMs);
        QCOMPARE(change(row, "tokens")["deltaInput"].toInt(), 120);
        const double delta = (520 * kMiniIn + 80 * kMiniOut) - (400 * kGpt4oIn + 60 * kGpt4oOut);
        QVERIFY(qAbs(row["deltaCostUsd"].toDouble() - delta) < 1e-12);
        // The answer's text changed too: a word diff of the output message.
        bool found = false;
        for (const QJsonValue &k : change(row, "messages")["keys"].toArray()) {
            if (k["path"].toString() == "messages[2].content") {
                QCOMPARE(k["wordDiff"].toString(), "Hotel Lumière {+is quiet and +}costs €240 for two nights.");
                found = true;
            }
        }
        QVERIFY(found);
    }

    void textOutput()
    {
        const Run r = spanscope({"diff", "--db", m_db, "d1ff0000aaaa0000aaaa0000aaaa0001", "d1ff0000b"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("latency +1.20 s (+30.0%)  tokens +120 in / +20 out"), qPrintable(r.out));
        QVERIFY2(r.out.contains("spans: 1 added, 0 removed, 3 changed, 1 same"), qPrintable(r.out));
        QVERIFY2(r.out.contains("\n+   get_reviews  [tool]  800 ms\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("~   chat gpt-4o -> chat gpt-4o-mini  [llm]  gpt-4o -> gpt-4o-mini"), qPrintable(r.out));
        QVERIFY2(r.out.contains("messages[1].content: Find a [-cheap-]{+quiet+} hotel in Paris for two nights.\n"), qPrintable(r.out));
    }

    void identicalTracesDiffClean()
    {
        const Run r = spanscope({"diff", "--db", m_db, "--json", "d1ff0000a", "d1ff0000a"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject s = QJsonDocument::fromJson(r.out.toUtf8())["summary"].toObject();
        QCOMPARE(s["same"].toInt(), 4);
        QCOMPARE(s["changed"].toInt() + s["added"].toInt() + s["removed"].toInt(), 0);
        QCOMPARE(s["deltaDurationNs"].toInteger(), 0);
    }

    void errors()
    {
        const Run missing = spanscope({"diff", "--db", m_db, "d1ff0000a", "ffff"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("ffff"));
        // "d1ff" matches both traces: not a unique prefix.
        QCOMPARE(spanscope({"diff", "--db", m_db, "d1ff", "d1ff0000b"}).exitCode, 1);
        QCOMPARE(spanscope({"diff", "--db", m_db, "d1ff0000a"}).exitCode, 2);
        QCOMPARE(spanscope({"diff", "--db", m_db, "--bogus", "a", "b"}).exitCode, 2);
        const Run help = spanscope({"--help"});
        QVERIFY(help.out.contains("spanscope diff [--db PATH] [--json] TRACE_A TRACE_B"));
    }
};

QTEST_GUILESS_MAIN(TestDiff)
#include "tst_diff.moc"
