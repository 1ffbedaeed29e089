// `spanscope stats` and `spanscope reprice` through the real binary, on an OTLP file written here
// whose every number is computed by hand: the documented --json keys, hour buckets at their edges,
// nearest-rank percentiles, --by groups, filters, "price missing" as null (never 0), usage errors.
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "clitest.h"

using clitest::Run;
using clitest::json;

namespace {

// Stats buckets are UTC whatever the local zone: run in a zone far from it.
Run spanscope(const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TZ"), QStringLiteral("Pacific/Auckland"));
    return clitest::spanscope(args, env);
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 + 1e-9 * std::abs(b);
}

constexpr qint64 S = 1'000'000'000LL;
constexpr qint64 H = 3600 * S;
const qint64 B = QDateTime(QDate(2026, 11, 20), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() * 1'000'000;

// USD per token of the bundled genai-prices 0.1.8 table.
constexpr double Gpt4oIn = 2.5e-6, Gpt4oOut = 10e-6;
constexpr double MiniIn = 0.15e-6, MiniOut = 0.6e-6;

QJsonObject attr(const QString &key, const QJsonValue &v)
{
    QJsonObject value;
    if (v.isString())
        value[QStringLiteral("stringValue")] = v;
    else
        value[QStringLiteral("intValue")] = QString::number(v.toInteger());
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
}

QJsonObject otlpSpan(const QString &trace, const QString &id, const QString &parent, const QString &name, qint64 start,
                     qint64 duration, QJsonArray attributes, bool error = false)
{
    QJsonObject s{{QStringLiteral("traceId"), trace},
                  {QStringLiteral("spanId"), id},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("kind"), 1},
                  {QStringLiteral("startTimeUnixNano"), QString::number(start)},
                  {QStringLiteral("endTimeUnixNano"), QString::number(start + duration)},
                  {QStringLiteral("attributes"), attributes},
                  {QStringLiteral("status"), QJsonObject{{QStringLiteral("code"), error ? 2 : 1}}}};
    if (!parent.isEmpty())
        s[QStringLiteral("parentSpanId")] = parent;
    return s;
}

QJsonObject chat(const QString &trace, const QString &id, const QString &parent, const QString &model, qint64 start,
                 qint64 duration, qint64 in, qint64 out)
{
    return otlpSpan(trace, id, parent, QStringLiteral("chat ") + model, start, duration,
                    QJsonArray{attr(QStringLiteral("gen_ai.operation.name"), QStringLiteral("chat")),
                               attr(QStringLiteral("gen_ai.provider.name"), QStringLiteral("openai")),
                               attr(QStringLiteral("gen_ai.request.model"), model),
                               attr(QStringLiteral("gen_ai.usage.input_tokens"), in),
                               attr(QStringLiteral("gen_ai.usage.output_tokens"), out)});
}

QJsonObject root(const QString &trace, const QString &id, qint64 start, qint64 duration, const QString &user)
{
    return otlpSpan(trace, id, {}, QStringLiteral("agent"), start, duration, QJsonArray{attr(QStringLiteral("user.id"), user)});
}

QString tid(int n)
{
    return QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0'));
}

QString sid(int n)
{
    return QStringLiteral("%1").arg(n, 16, 16, QLatin1Char('0'));
}

// t1 00:10 alice 4 s, gpt-4o 1000/100, 2 s
// t2 00:59:59.999 bob 2 s, gpt-4o-mini 2000/200, 1 s, a failing tool
// t3 01:00:00 exactly alice 1 s, acme-unknown-9 300/30 (no price), 0.5 s
// t4 03:30 carol 8 s, gpt-4o 400/40, 6 s
QByteArray fixture()
{
    QJsonArray spans;
    const qint64 t1 = B + 10 * 60 * S, t2 = B + H - 1'000'000, t3 = B + H, t4 = B + 3 * H + 30 * 60 * S;
    spans << root(tid(1), sid(0x10), t1, 4 * S, QStringLiteral("alice"))
          << chat(tid(1), sid(0x11), sid(0x10), QStringLiteral("gpt-4o"), t1 + S, 2 * S, 1000, 100);
    spans << root(tid(2), sid(0x20), t2, 2 * S, QStringLiteral("bob"))
          << chat(tid(2), sid(0x21), sid(0x20), QStringLiteral("gpt-4o-mini"), t2 + S / 4, S, 2000, 200)
          << otlpSpan(tid(2), sid(0x22), sid(0x20), QStringLiteral("search"), t2 + S * 3 / 2, S / 4, {}, true);
    spans << root(tid(3), sid(0x30), t3, S, QStringLiteral("alice"))
          << chat(tid(3), sid(0x31), sid(0x30), QStringLiteral("acme-unknown-9"), t3 + S / 10, S / 2, 300, 30);
    spans << root(tid(4), sid(0x40), t4, 8 * S, QStringLiteral("carol"))
          << chat(tid(4), sid(0x41), sid(0x40), QStringLiteral("gpt-4o"), t4 + S, 6 * S, 400, 40);
    const QJsonObject doc{{QStringLiteral("resourceSpans"),
                           QJsonArray{QJsonObject{
                               {QStringLiteral("resource"),
                                QJsonObject{{QStringLiteral("attributes"), QJsonArray{attr(QStringLiteral("service.name"), QStringLiteral("bot"))}}}},
                               {QStringLiteral("scopeSpans"), QJsonArray{QJsonObject{{QStringLiteral("spans"), spans}}}}}}}};
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

const double CostT1 = 1000 * Gpt4oIn + 100 * Gpt4oOut;
const double CostT2 = 2000 * MiniIn + 200 * MiniOut;
const double CostT4 = 400 * Gpt4oIn + 40 * Gpt4oOut;

} // namespace

class TestStats : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

    QString freshWorkspace(const QString &name)
    {
        const QString db = m_dir.filePath(name);
        const Run r = spanscope({"import", "--db", db, m_dir.filePath("fixture.json")});
        if (r.exitCode != 0)
            qWarning() << r.out << r.err;
        return db;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile f(m_dir.filePath("fixture.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixture());
        f.close();
        m_db = freshWorkspace("stats.sqlite");
    }

    void totalsAndHourBucketsAtTheEdges()
    {
        const Run r = spanscope({"stats", "--db", m_db, "--json", "--bucket", "hour"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        const QJsonObject t = o["totals"].toObject();
        QCOMPARE(t["traces"].toInteger(), 4);
        QCOMPARE(t["errorTraces"].toInteger(), 1);
        QCOMPARE(t["errorRate"].toDouble(), 0.25);
        QCOMPARE(t["spans"].toInteger(), 9);
        QCOMPARE(t["errorSpans"].toInteger(), 1);
        QCOMPARE(t["llmCalls"].toInteger(), 4);
        QCOMPARE(t["inputTokens"].toInteger(), 3700);
        QCOMPARE(t["outputTokens"].toInteger(), 370);
        QVERIFY2(near(t["costUsd"].toDouble(), CostT1 + CostT2 + CostT4), qPrintable(QString::number(t["costUsd"].toDouble(), 'g', 12)));
        QVERIFY(near(t["computedCostUsd"].toDouble(), CostT1 + CostT2 + CostT4));
        QCOMPARE(t["pricedSpans"].toInteger(), 3);
        QCOMPARE(t["unpricedSpans"].toInteger(), 1);
        QCOMPARE(t["unpricedModels"].toArray(), QJsonArray{"acme-unknown-9"});
        QCOMPARE(t["firstStartTimeUnixNano"].toString(), QString::number(B + 10 * 60 * S));
        QCOMPARE(t["lastStartTimeUnixNano"].toString(), QString::number(B + 3 * H + 30 * 60 * S));

        QCOMPARE(o["bucket"].toString(), QStringLiteral("hour"));
        QCOMPARE(o["bucketNs"].toInteger(), H);
        const QJsonArray buckets = o["buckets"].toArray();
        // t1 and t2 (the last millisecond of hour 0) in hour 0, t3 (01:00 exactly) in hour 1, no
        // bucket for the empty hour 2, t4 in hour 3. UTC although the zone is Auckland.
        QCOMPARE(buckets.size(), 3);
        const QJsonObject h0 = buckets[0].toObject(), h1 = buckets[1].toObject(), h3 = buckets[2].toObject();
        QCOMPARE(h0["startTimeUnixNano"].toString(), QString::number(B));
        QCOMPARE(h0["start"].toString(), QStringLiteral("2026-11-20T00:00:00Z"));
        QCOMPARE(h0["traces"].toInteger(), 2);
        QCOMPARE(h0["errorTraces"].toInteger(), 1);
        QCOMPARE(h0["errorRate"].toDouble(), 0.5);
        QCOMPARE(h0["inputTokens"].toInteger(), 3000);
        QCOMPARE(h0["outputTokens"].toInteger(), 300);
        QVERIFY(near(h0["costUsd"].toDouble(), CostT1 + CostT2));
        QCOMPARE(h0["models"].toArray().size(), 2);
        QCOMPARE(h1["startTimeUnixNano"].toString(), QString::number(B + H));
        QCOMPARE(h1["traces"].toInteger(), 1);
        // Only a call without a price: its cost is unknown (null), not 0.
        QVERIFY(h1["costUsd"].isNull());
        QCOMPARE(h1["unpricedSpans"].toInteger(), 1);
        const QJsonObject acme = h1["models"].toArray().at(0).toObject();
        QCOMPARE(acme["model"].toString(), QStringLiteral("acme-unknown-9"));
        QVERIFY(acme["costUsd"].isNull());
        QCOMPARE(acme["unpricedSpans"].toInteger(), 1);
        QCOMPARE(h3["startTimeUnixNano"].toString(), QString::number(B + 3 * H));
        QVERIFY(near(h3["costUsd"].toDouble(), CostT4));

        // Nearest rank over 1, 2, 4 and 8 s.
        const QJsonObject lat = o["latency"].toObject()["traces"].toObject();
        QCOMPARE(lat["count"].toInteger(), 4);
        QCOMPARE(lat["minNs"].toInteger(), S);
        QCOMPARE(lat["p50Ns"].toInteger(), 2 * S);
        QCOMPARE(lat["p90Ns"].toInteger(), 8 * S);
        QCOMPARE(lat["p99Ns"].toInteger(), 8 * S);
        QCOMPARE(lat["maxNs"].toInteger(), 8 * S);
        QCOMPARE(lat["meanNs"].toDouble(), 3.75 * S);
        // Cost per trace over the three traces with a cost.
        const QJsonObject cpt = o["costPerTrace"].toObject();
        QCOMPARE(cpt["count"].toInteger(), 3);
        QVERIFY(near(cpt["p50Usd"].toDouble(), CostT4));
        QVERIFY(near(cpt["maxUsd"].toDouble(), CostT1));
        QVERIFY(!o.contains("groups"));
    }

    void byModelWithPercentiles()
    {
        const Run r = spanscope({"stats", "--db", m_db, "--json", "--by", "model"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        QCOMPARE(o["by"].toString(), QStringLiteral("model"));
        const QJsonArray groups = o["groups"].toArray();
        QStringList keys;
        for (const QJsonValue &g : groups)
            keys << g["key"].toString();
        // Highest cost first; the model without a price after every known cost.
        QCOMPARE(keys, (QStringList{"gpt-4o", "gpt-4o-mini", "acme-unknown-9"}));
        const QJsonObject gpt = groups[0].toObject();
        QCOMPARE(gpt["count"].toInteger(), 2);
        QCOMPARE(gpt["inputTokens"].toInteger(), 1400);
        QVERIFY(near(gpt["costUsd"].toDouble(), CostT1 + CostT4));
        const QJsonObject gptLat = gpt["latency"].toObject();
        QCOMPARE(gptLat["count"].toInteger(), 2);
        QCOMPARE(gptLat["p50Ns"].toInteger(), 2 * S);
        QCOMPARE(gptLat["p99Ns"].toInteger(), 6 * S);
        const QJsonObject acme = groups[2].toObject();
        QVERIFY(acme["costUsd"].isNull());
        QCOMPARE(acme["unpricedSpans"].toInteger(), 1);
        QCOMPARE(acme["pricedSpans"].toInteger(), 0);

        const Run users = spanscope({"stats", "--db", m_db, "--json", "--by", "user", "--top", "2"});
        QCOMPARE(users.exitCode, 0);
        const QJsonArray ug = json(users)["groups"].toArray();
        QCOMPARE(ug.size(), 2);
        QCOMPARE(ug[0]["key"].toString(), QStringLiteral("alice"));   // t1 has the highest cost
        QCOMPARE(ug[0]["count"].toInteger(), 2);
        QCOMPARE(ug[0]["unpricedSpans"].toInteger(), 1);
        QCOMPARE(ug[0]["latency"]["p50Ns"].toInteger(), S);
    }

    void filtersSelectTraces()
    {
        const Run r = spanscope({"stats", "--db", m_db, "--json", "--since", "2026-11-20T01:00:00Z", "--until", "2026-11-20T04:00:00Z"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        QCOMPARE(o["totals"]["traces"].toInteger(), 2);   // t3 (at the start, included) and t4
        QCOMPARE(o["filters"]["sinceUnixNano"].toString(), QString::number(B + H));
        QCOMPARE(o["filters"]["untilUnixNano"].toString(), QString::number(B + 4 * H));
        // Three hours: minute buckets by default.
        QCOMPARE(o["bucket"].toString(), QStringLiteral("minute"));

        const Run unpriced = spanscope({"stats", "--db", m_db, "--json", "--model", "acme-unknown-9"});
        const QJsonObject u = json(unpriced);
        QCOMPARE(u["totals"]["traces"].toInteger(), 1);
        QVERIFY(u["totals"]["costUsd"].isNull());
        QCOMPARE(u["costPerTrace"]["count"].toInteger(), 0);
        const Run text = spanscope({"stats", "--db", m_db, "--model", "acme-unknown-9"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("cost     -"), qPrintable(text.out));
        QVERIFY2(text.out.contains("price missing for 1 spans: acme-unknown-9"), qPrintable(text.out));
        QVERIFY(!text.out.contains("$0 "));

        const Run errors = spanscope({"stats", "--db", m_db, "--json", "--status", "error", "--user", "bob"});
        QCOMPARE(json(errors).value("totals")["traces"].toInteger(), 1);
        const Run nobody = spanscope({"stats", "--db", m_db, "--json", "--user", "nobody"});
        QCOMPARE(nobody.exitCode, 0);
        QCOMPARE(json(nobody).value("totals")["traces"].toInteger(), 0);
        QVERIFY(json(nobody).value("totals")["costUsd"].isNull());
        QCOMPARE(spanscope({"stats", "--db", m_db, "--user", "nobody"}).out.trimmed(), QStringLiteral("No traces match."));
    }

    void usageErrors()
    {
        QCOMPARE(spanscope({"stats", "--db", m_db, "--by", "colour"}).exitCode, 2);
        QCOMPARE(spanscope({"stats", "--db", m_db, "--bucket", "week"}).exitCode, 2);
        QCOMPARE(spanscope({"stats", "--db", m_db, "--since", "yesterday"}).exitCode, 2);
        QCOMPARE(spanscope({"stats", "--db", m_db, "--top", "0", "--by", "model"}).exitCode, 2);
        QCOMPARE(spanscope({"stats", "--db", m_db, "extra"}).exitCode, 2);
        QFile notAWorkspace(m_dir.filePath("plain.txt"));
        QVERIFY(notAWorkspace.open(QIODevice::WriteOnly));
        notAWorkspace.write("hello");
        notAWorkspace.close();
        QCOMPARE(spanscope({"stats", "--db", notAWorkspace.fileName()}).exitCode, 1);
    }

    void repriceAppliesNewPricesAndKeepsReportedCosts()
    {
        const QString db = freshWorkspace("reprice.sqlite");
        QFile prices(m_dir.filePath("prices.json"));
        QVERIFY(prices.open(QIODevice::WriteOnly));
        prices.write(R"({"models": [{"match": "acme-unknown-9", "input_mtok": 10, "output_mtok": 100},
                                     {"match": "gpt-4o", "provider": "openai", "input_mtok": 5, "output_mtok": 20}]})");
        prices.close();
        const Run r = spanscope({"reprice", "--db", db, "--prices", prices.fileName()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("re-priced 3 of "), qPrintable(r.out));   // mini is unchanged
        const QJsonObject t = json(spanscope({"stats", "--db", db, "--json"}))["totals"].toObject();
        QCOMPARE(t["unpricedSpans"].toInteger(), 0);
        QCOMPARE(t["unpricedModels"].toArray(), QJsonArray());
        const double expected = (1000 * 5 + 100 * 20 + 400 * 5 + 40 * 20) / 1e6 + CostT2 + (300 * 10 + 30 * 100) / 1e6;
        QVERIFY2(near(t["costUsd"].toDouble(), expected), qPrintable(QString::number(t["costUsd"].toDouble(), 'g', 12)));
        QCOMPARE(spanscope({"reprice", "--db", db, "--prices", m_dir.filePath("missing.json")}).exitCode, 1);
        QCOMPARE(spanscope({"reprice", "--db", m_dir.filePath("none.sqlite")}).exitCode, 1);
    }
};

QTEST_MAIN(TestStats)
#include "tst_stats.moc"
