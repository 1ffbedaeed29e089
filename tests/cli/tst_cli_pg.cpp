// The command line on a team store: `--db postgresql://…` (and $SPANSCOPE_DB) for import, traces,
// show, export and diff, full-text search through PostgreSQL's text search, and the same answers as
// a workspace file. Needs SPANSCOPE_TEST_PG_URL (packaging/dev.sh test sets it); skips without it.
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

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

} // namespace

class TestCliPostgres : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_base;
    QStringList m_schemas;

    QString store(const QString &name)
    {
        const QString schema = QStringLiteral("tst_cli_pg_%1_%2").arg(QCoreApplication::applicationPid()).arg(name);
        m_schemas << schema;
        return m_base + (m_base.contains('?') ? "&" : "?") + "schema=" + schema;
    }

    QStringList traceIds(const QString &db, const QStringList &extra = {})
    {
        QStringList args{"traces", "--json", "--db", db};
        args += extra;
        QStringList out;
        for (const QJsonValue &t : json(spanscope(args))["traces"].toArray())
            out << t["traceId"].toString().left(8);
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_base = qEnvironmentVariable("SPANSCOPE_TEST_PG_URL");
        if (m_base.isEmpty())
            QSKIP("set SPANSCOPE_TEST_PG_URL=postgresql://user@host:port/db to run the CLI against PostgreSQL "
                  "(packaging/dev.sh test starts a throwaway server and sets it)");
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase()
    {
        if (m_base.isEmpty() || m_schemas.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "cleanup");
            const QUrl url(m_base);
            db.setHostName(url.host());
            if (url.port() > 0)
                db.setPort(url.port());
            db.setUserName(url.userName());
            db.setPassword(url.password());
            db.setDatabaseName(url.path().mid(1));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec("SET client_min_messages = warning");
                for (const QString &s : std::as_const(m_schemas))
                    q.exec(QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(s));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase("cleanup");
    }

    void importAndListLikeAFile()
    {
        const QString pg = store("list");
        const QString file = m_dir.filePath("same.sqlite");
        const QStringList files{sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json"),
                                sample("otlp-trace.json")};
        const Run imported = spanscope(QStringList{"import", "--db", pg} + files);
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains("3 traces"), qPrintable(imported.out));
        QCOMPARE(spanscope(QStringList{"import", "--db", file} + files).exitCode, 0);

        // Same summaries, same order, same span trees as from a workspace file.
        const Run list = spanscope({"traces", "--json", "--db", pg});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        const QJsonArray traces = json(list)["traces"].toArray();
        QCOMPARE(traces.size(), 3);
        QCOMPARE(json(list), json(spanscope({"traces", "--json", "--db", file})));
        QCOMPARE(json(spanscope({"show", "--json", "--db", pg, "7b3e"})), json(spanscope({"show", "--json", "--db", file, "7b3e"})));
        const Run text = spanscope({"traces", "--db", pg});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("TravelAgent.run"));

        // Importing again changes nothing (upserts).
        QCOMPARE(spanscope(QStringList{"import", "--db", pg} + files).exitCode, 0);
        QCOMPARE(json(spanscope({"traces", "--json", "--db", pg})), json(list));

        // Export is lossless from the team store too.
        const QString exported = m_dir.filePath("from-pg.jsonl");
        QCOMPARE(spanscope({"export", "--db", pg, "--all", "-o", exported}).exitCode, 0);
        const QString back = store("back");
        QCOMPARE(spanscope({"import", "--db", back, exported}).exitCode, 0);
        QCOMPARE(json(spanscope({"traces", "--json", "--db", back})), json(list));

        // $SPANSCOPE_DB may name the store as well.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SPANSCOPE_DB", pg);
        QCOMPARE(json(spanscope({"traces", "--json"}, env)), json(list));
    }

    void fullTextSearch()
    {
        const QString pg = store("fts");
        QCOMPARE(spanscope({"import", "--db", pg, sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json"),
                            sample("otlp-trace.json")})
                     .exitCode,
                 0);
        QCOMPARE(traceIds(pg, {"--search", "umbrella"}), QStringList{"7b3e1f0c"});
        QCOMPARE(traceIds(pg, {"--search", "UMBRELLA"}), QStringList{"7b3e1f0c"});
        QCOMPARE(traceIds(pg, {"--search", "umbrel*"}), QStringList{"7b3e1f0c"});
        QCOMPARE(traceIds(pg, {"--search", "no-such-word-anywhere"}), QStringList{});
        QCOMPARE(traceIds(pg, {"--search", "umbrella OR no-such-word-anywhere"}), QStringList{"7b3e1f0c"});
        QCOMPARE(traceIds(pg, {"--search", "umbrella NOT umbrella"}), QStringList{});
        // Odd input never fails: unbalanced quotes, operators alone.
        for (const QString &odd : {"\"umbrella", "OR", "-", "*", "'", "a:b", "(("}) {
            const Run r = spanscope({"traces", "--json", "--db", pg, "--search", odd});
            QVERIFY2(r.exitCode == 0, qPrintable(odd + ": " + r.err));
        }
        // Search and the other filters combine, as with a file.
        const QString file = m_dir.filePath("fts.sqlite");
        QCOMPARE(spanscope({"import", "--db", file, sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json"),
                            sample("otlp-trace.json")})
                     .exitCode,
                 0);
        for (const QStringList &filter : {QStringList{"--search", "umbrella", "--model", "GPT-4O-2024-08-06"},
                                          QStringList{"--search", "weather"}, QStringList{"--status", "error"}}) {
            QCOMPARE(traceIds(pg, filter), traceIds(file, filter));
        }
    }

    void statsLikeAFile()
    {
        const QString pg = store("stats");
        const QString file = m_dir.filePath("stats.sqlite");
        const QStringList files{sample("otlp-genai-sdk-generated.json"), cliData("openinference-agent-trace.json"),
                                sample("otlp-trace.json")};
        QCOMPARE(spanscope(QStringList{"import", "--db", pg} + files).exitCode, 0);
        QCOMPARE(spanscope(QStringList{"import", "--db", file} + files).exitCode, 0);
        auto comparable = [](QJsonObject o) {
            for (const QString &k : o.keys()) {
                if (k == "workspace" || k.contains("timing", Qt::CaseInsensitive))
                    o.remove(k);
            }
            return o;
        };
        for (const QStringList &extra : {QStringList{}, QStringList{"--by", "name"}, QStringList{"--by", "model"},
                                         QStringList{"--search", "umbrella", "--by", "kind"}}) {
            const Run a = spanscope(QStringList{"stats", "--json", "--db", pg} + extra);
            QVERIFY2(a.exitCode == 0, qPrintable(a.err));
            const Run b = spanscope(QStringList{"stats", "--json", "--db", file} + extra);
            QCOMPARE(comparable(json(a)), comparable(json(b)));
        }
    }

    void passwordIsNeverPrinted()
    {
        QUrl url(store("secret"));
        url.setPassword("hunter2-not-used");  // the test server trusts loopback
        const Run r = spanscope({"import", "--db", url.toString(), sample("otlp-trace.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.out.contains("hunter2") && !r.err.contains("hunter2"));
        QVERIFY(r.out.contains("postgresql://"));
        const Run bad = spanscope({"traces", "--db", "postgresql://nobody:hunter2@127.0.0.1:1/none"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(!bad.err.contains("hunter2"));
        QVERIFY2(bad.err.contains("postgresql://nobody@127.0.0.1:1/none"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCliPostgres)
#include "tst_cli_pg.moc"
