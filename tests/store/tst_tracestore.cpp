#include "store/sqlscript.h"
#include "store/tracestore.h"
#include "store/workspacestats.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <cerrno>
#include <functional>
#include <map>

#include <signal.h>
#include <unistd.h>

using namespace spanscope;

Q_DECLARE_METATYPE(spanscope::TraceQuery)

namespace {

// The same suite runs against PostgreSQL when SPANSCOPE_TEST_STORE_BACKEND=postgresql (ctest's
// tst_tracestore_pg), in a fresh schema of the database SPANSCOPE_TEST_PG_URL names per workspace.
bool pgMode()
{
    return qEnvironmentVariable("SPANSCOPE_TEST_STORE_BACKEND") == QLatin1String("postgresql");
}

QString pgUrl()
{
    return qEnvironmentVariable("SPANSCOPE_TEST_PG_URL");
}

#define SQLITE_ONLY(why)                                                                                               \
    do {                                                                                                               \
        if (pgMode())                                                                                                  \
            QSKIP("SQLite workspace files only: " why);                                                                \
    } while (false)

#define PG_ONLY()                                                                                                      \
    do {                                                                                                               \
        if (!pgMode())                                                                                                 \
            QSKIP("PostgreSQL only (tst_tracestore_pg)");                                                              \
    } while (false)

Span makeSpan(const QString &trace, const QString &id, const QString &parent, qint64 start, qint64 end)
{
    Span s;
    s.traceId = trace;
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = id;
    s.startNs = start;
    s.endNs = end;
    return s;
}

Span llmSpan(const QString &trace, const QString &id, const QString &parent, qint64 start, qint64 end,
             const QString &model, qint64 in, qint64 out, double cost, CostSource source = CostSource::Computed)
{
    Span s = makeSpan(trace, id, parent, start, end);
    s.kind = SpanKind::Llm;
    s.requestModel = model;
    s.tokens.input = in;
    s.tokens.output = out;
    if (source != CostSource::None)
        s.cost = {cost, cost / 4, cost * 3 / 4, source};
    return s;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A plain Qt SQL connection to a file, for preparing fixtures and checking what the store wrote.
class RawDb
{
public:
    explicit RawDb(const QString &path, const QString &options = {})
        : m_name(QStringLiteral("raw-%1").arg(++s_counter))
    {
        if (path.startsWith("postgresql://")) {
            // A team store: the test database, with the store's schema first on the search path.
            const QUrl url(path);
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
            db.setHostName(url.host());
            if (url.port() > 0)
                db.setPort(url.port());
            db.setUserName(url.userName());
            db.setPassword(url.password());
            db.setDatabaseName(url.path().mid(1));
            m_ok = db.open();
            const QString schema = QUrlQuery(url).queryItemValue("schema");
            if (m_ok && !schema.isEmpty())
                m_ok = exec(QStringLiteral("SET search_path TO \"%1\"").arg(schema));
            return;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        m_ok = db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    bool exec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    QVariant value(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }
    QStringList column(const QString &sql)
    {
        QStringList out;
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (q.exec(sql)) {
            while (q.next())
                out << q.value(0).toString();
        }
        return out;
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name); }

private:
    static inline std::atomic<int> s_counter{0};
    QString m_name;
    bool m_ok = false;
};

bool sameCost(double a, double b)
{
    // Summation order (SQLite sums in long double, summarize() in double) moves the last bits.
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

// Every field of two rollups; costs compared up to rounding.
void compareSummary(const TraceSummary &actual, const TraceSummary &expected)
{
    QCOMPARE(actual.traceId, expected.traceId);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.serviceName, expected.serviceName);
    QCOMPARE(actual.startNs, expected.startNs);
    QCOMPARE(actual.endNs, expected.endNs);
    QCOMPARE(actual.spanCount, expected.spanCount);
    QCOMPARE(actual.errorCount, expected.errorCount);
    QCOMPARE(actual.llmCount, expected.llmCount);
    QCOMPARE(actual.toolCount, expected.toolCount);
    QCOMPARE(actual.inputTokens, expected.inputTokens);
    QCOMPARE(actual.outputTokens, expected.outputTokens);
    QCOMPARE(actual.totalTokens, expected.totalTokens);
    QVERIFY2(sameCost(actual.costUsd, expected.costUsd),
             qPrintable(QStringLiteral("%1 vs %2").arg(actual.costUsd, 0, 'g', 17).arg(expected.costUsd, 0, 'g', 17)));
    QVERIFY(sameCost(actual.computedCostUsd, expected.computedCostUsd));
    QCOMPARE(actual.pricedSpanCount, expected.pricedSpanCount);
    QCOMPARE(actual.models, expected.models);
    QCOMPARE(actual.unpricedModels, expected.unpricedModels);
    QCOMPARE(actual.services, expected.services);
    QCOMPARE(actual.sessionId, expected.sessionId);
    QCOMPARE(actual.userId, expected.userId);
}

// Spans in the order loadSpans() returns them.
SpanList byStart(SpanList spans)
{
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) {
        return a.startNs != b.startNs ? a.startNs < b.startNs : a.spanId < b.spanId;
    });
    return spans;
}

// The upsert rule, applied independently of the store.
void applyUpsert(std::map<std::pair<QString, QString>, Span> &truth, const Span &s)
{
    const auto key = std::make_pair(s.traceId, s.spanId);
    auto it = truth.find(key);
    if (it == truth.end())
        truth.emplace(key, s);
    else if (s.hasEnded() || !it->second.hasEnded())
        it->second = s;
}

SpanList truthOf(const std::map<std::pair<QString, QString>, Span> &truth, const QString &traceId)
{
    SpanList out;
    for (const auto &[key, span] : truth) {
        if (key.first == traceId)
            out << span;
    }
    return byStart(out);
}

QStringList ids(const QList<TraceSummary> &list)
{
    QStringList out;
    for (const TraceSummary &t : list)
        out << t.traceId;
    return out;
}

// Traces of 100 spans each ("trace000"…), bulk-written and indexed for full-text search: the inputs
// of the first `common` traces say "common words", the others' "other text"; span s5 of every
// `rareEvery`-th trace answers "a rare answer". Past 30,000 matching spans the trace filter takes
// its broad form.
bool writeSearchCorpus(TraceStore &store, int traces, int common, int rareEvery)
{
    SpanList spans;
    for (int t = 0; t < traces; ++t) {
        const QString trace = QStringLiteral("trace%1").arg(t, 3, 10, QLatin1Char('0'));
        for (int i = 0; i < 100; ++i) {
            Span s = makeSpan(trace, QStringLiteral("s%1").arg(i), i ? QStringLiteral("s0") : QString(),
                              qint64(t) * 1000 + i, qint64(t) * 1000 + i + 1);
            s.input.value = t < common ? QStringLiteral("common words") : QStringLiteral("other text");
            if (t % rareEvery == 0 && i == 5)
                s.output.value = QStringLiteral("a rare answer");
            spans << s;
        }
    }
    return store.beginBulk() && store.writeSpans(spans) && store.endBulk() && store.indexFullText() >= 0;
}

QStringList hitSpans(const QList<SearchHit> &hits)
{
    QStringList out;
    for (const SearchHit &h : hits)
        out << h.traceId + QLatin1Char('/') + h.spanId;
    out.sort();
    return out;
}

// The trace-list fixture: eight traces with designed differences (and ties) in every sort key.
SpanList listFixture()
{
    SpanList all;
    auto add = [&](Span s) { all << s; };
    const qint64 t0 = 1'700'000'000'000'000'000LL;
    // t1: ok, gpt-4o, svc-a, session s1, user u1
    {
        Span r = makeSpan("t1", "r", "", t0, t0 + 5000);
        r.name = "alpha run";
        r.serviceName = "svc-a";
        r.sessionId = "s1";
        r.userId = "u1";
        add(r);
        Span l = llmSpan("t1", "l", "r", t0 + 10, t0 + 4000, "gpt-4o", 100, 20, 0.5);
        l.serviceName = "svc-a";
        l.input = {"What is the capital of France?", "text/plain"};
        l.output = {"Paris is the capital.", "text/plain"};
        add(l);
    }
    // t2: error, claude, svc-b + svc-a, session s2, user u1, unpriced model
    {
        Span r = makeSpan("t2", "r", "", t0 + 1000, t0 + 91000);
        r.name = "beta run";
        r.serviceName = "svc-b";
        r.status = StatusCode::Error;
        r.sessionId = "s2";
        r.userId = "u1";
        add(r);
        Span l = llmSpan("t2", "l", "r", t0 + 1100, t0 + 2000, "claude-3-5-sonnet", 300, 40, 0, CostSource::None);
        l.serviceName = "svc-a";
        l.input = {"Summarise the quarterly report", "text/plain"};
        add(l);
        Span tool = makeSpan("t2", "x", "r", t0 + 2100, t0 + 3000);
        tool.kind = SpanKind::Tool;
        tool.status = StatusCode::Error;
        tool.name = "fetch_report";
        add(tool);
    }
    // t3: ok, GPT-4o spelled differently, svc-a, no session, user u2
    {
        Span r = makeSpan("t3", "r", "", t0 + 2000, t0 + 7000);
        r.name = "gamma run";
        r.serviceName = "svc-a";
        r.userId = "u2";
        add(r);
        add(llmSpan("t3", "l1", "r", t0 + 2001, t0 + 3000, "GPT-4O", 10, 5, 0.25));
        add(llmSpan("t3", "l2", "r", t0 + 3001, t0 + 4000, "mistral-large", 50, 5, 0.25, CostSource::Reported));
    }
    // t4: ok, no LLM, same span count and cost as t1 (ties), session s1
    {
        Span r = makeSpan("t4", "r", "", t0 + 3000, t0 + 8000);
        r.name = "alpha run";
        r.serviceName = "svc-c";
        r.sessionId = "s1";
        add(r);
        Span c = makeSpan("t4", "c", "r", t0 + 3100, t0 + 3200);
        c.cost = {0.5, 0, 0, CostSource::Reported};
        add(c);
    }
    // t5: error, long, expensive, gpt-4o-mini
    {
        Span r = makeSpan("t5", "r", "", t0 + 4000, t0 + 504000);
        r.name = "delta run";
        r.serviceName = "svc-b";
        r.userId = "u3";
        add(r);
        Span l = llmSpan("t5", "l", "r", t0 + 4100, t0 + 5000, "gpt-4o-mini", 5000, 900, 2.0);
        l.status = StatusCode::Error;
        l.output = {"I could not finish: quota exceeded", "text/plain"};
        add(l);
    }
    // t6: no root (missing parent), unfinished span
    {
        Span o = makeSpan("t6", "o", "gone", t0 + 5000, 0);
        o.name = "orphan step";
        o.serviceName = "svc-c";
        add(o);
    }
    // t7 and t8: identical numbers, to check the trace id tie-break
    for (const char *id : {"t7", "t8"}) {
        Span r = makeSpan(id, "r", "", t0 + 6000, t0 + 6500);
        r.name = "twin";
        r.serviceName = "svc-d";
        add(r);
    }
    return all;
}

} // namespace

class TestTraceStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_fileNo = 0;

    QStringList m_pgSchemas;

    QString freshPath()
    {
        ++m_fileNo;
        if (pgMode()) {
            const QString schema = QStringLiteral("tst_tracestore_%1_%2").arg(QCoreApplication::applicationPid()).arg(m_fileNo);
            m_pgSchemas << schema;
            return pgUrl() + (pgUrl().contains('?') ? "&" : "?") + "schema=" + schema;
        }
        return m_tmp.filePath(QStringLiteral("ws-%1.sqlite").arg(m_fileNo));
    }

    // A plain QPSQL connection to the test database (SPANSCOPE_TEST_PG_URL).
    static QSqlDatabase pgRaw()
    {
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("pg-raw"), false);
        if (db.isValid() && db.isOpen())
            return db;
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("pg-raw"));
        const QUrl url(pgUrl());
        db.setHostName(url.host());
        if (url.port() > 0)
            db.setPort(url.port());
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
        db.open();
        QSqlQuery(db).exec("SET client_min_messages = warning");
        return db;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        if (pgMode()) {
            if (pgUrl().isEmpty())
                QSKIP("set SPANSCOPE_TEST_PG_URL=postgresql://user@host:port/db to run the store tests against "
                      "PostgreSQL (packaging/dev.sh test starts a throwaway server and sets it)");
            QVERIFY2(QSqlDatabase::isDriverAvailable("QPSQL"), "Qt's QPSQL driver is missing (libqt6sql6-psql)");
            QSqlDatabase db = pgRaw();
            QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        }
    }

    void cleanupTestCase()
    {
        if (!pgMode() || pgUrl().isEmpty())
            return;
        {
            QSqlDatabase db = pgRaw();
            for (const QString &schema : std::as_const(m_pgSchemas))
                QSqlQuery(db).exec(QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(schema));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("pg-raw"));
    }

    // --- PostgreSQL only -----------------------------------------------------------------------
    void pgCreatesStore()
    {
        PG_ONLY();
        const QString path = freshPath();
        {
            TraceStore store;
            QVERIFY2(store.open(path), qPrintable(store.lastError()));
            QVERIFY(store.isPostgres());
            QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
            QCOMPARE(store.path(), path);
            QVERIFY(store.writeSpans({makeSpan("a", "1", "", 10, 20)}));
        }
        const QString schema = m_pgSchemas.last();
        QSqlQuery q(pgRaw());
        QVERIFY(q.exec(QStringLiteral("SELECT application_id, version FROM \"%1\".spanscope_schema").arg(schema)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), qint64(TraceStore::ApplicationId));
        QCOMPARE(q.value(1).toInt(), TraceStore::currentSchemaVersion());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE schemaname = '%1' AND indexname LIKE 'ix%%'")
                           .arg(schema)));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toInt() >= 10);
        // From the catalog tables, not pg_indexes: its pg_get_indexdef() fails on an index that
        // another test drops at the same moment.
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                      "JOIN pg_am a ON a.oid = c.relam JOIN pg_index i ON i.indexrelid = c.oid "
                                      "JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = i.indkey[0] "
                                      "WHERE n.nspname = '%1' AND c.relkind = 'i' AND a.amname = 'gin' AND t.attname = 'fts'")
                           .arg(schema)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        TraceStore again;
        QVERIFY2(again.open(path, TraceStore::OpenMode::ReadOnly), qPrintable(again.lastError()));
        QCOMPARE(again.counts().spans, 1);
    }

    void pgRefusesForeignAndNewer()
    {
        PG_ONLY();
        const QString foreign = freshPath();
        QSqlQuery q(pgRaw());
        QVERIFY(q.exec(QStringLiteral("CREATE SCHEMA \"%1\"").arg(m_pgSchemas.last())));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE \"%1\".customers (id int)").arg(m_pgSchemas.last())));
        TraceStore store;
        QVERIFY(!store.open(foreign));
        QVERIFY2(store.lastError().contains("another application"), qPrintable(store.lastError()));
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = '%1'").arg(m_pgSchemas.last())));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);  // left untouched

        const QString newer = freshPath();
        QVERIFY(store.open(newer));
        store.close();
        QVERIFY(q.exec(QStringLiteral("UPDATE \"%1\".spanscope_schema SET version = version + 1").arg(m_pgSchemas.last())));
        QVERIFY(!store.open(newer));
        QVERIFY2(store.lastError().contains("newer version"), qPrintable(store.lastError()));
    }

    void pgPasswordIsNotPartOfThePath()
    {
        PG_ONLY();
        QUrl url(freshPath());
        url.setPassword("not-the-password");  // trust authentication accepts any
        TraceStore store;
        QVERIFY2(store.open(url.toString()), qPrintable(store.lastError()));
        QVERIFY(!store.path().contains("not-the-password"));
        QVERIFY(store.path().startsWith("postgresql://"));
        TraceStore bad;
        QVERIFY(!bad.open("postgresql://u@127.0.0.1:1/x?password=secret"));
        QVERIFY(!bad.lastError().contains("secret"));
        QVERIFY(!bad.open("postgresql://nobody@127.0.0.1:1/nodb"));
        QVERIFY2(bad.lastError().contains("postgresql://nobody@127.0.0.1:1/nodb"), qPrintable(bad.lastError()));
    }

    void pgSeveralWritersOneStore()
    {
        PG_ONLY();
        // Two writers (two windows, or serve and an import) appending to the same traces: the
        // rollups stay exact because writers take turns.
        const QString path = freshPath();
        {
            TraceStore init;
            QVERIFY(init.open(path));
        }
        QStringList errors;
        QMutex mutex;
        auto writer = [&](int w) {
            TraceStore store;
            if (!store.open(path)) {
                QMutexLocker l(&mutex);
                errors << store.lastError();
                return;
            }
            for (int b = 0; b < 20; ++b) {
                SpanList batch;
                for (int t = 0; t < 5; ++t)
                    batch << llmSpan(QStringLiteral("shared-%1").arg(t), QStringLiteral("w%1-b%2").arg(w).arg(b), "",
                                     b, b + 10, "gpt-4o", 10, 1, 0.5);
                if (!store.writeSpans(batch)) {
                    QMutexLocker l(&mutex);
                    errors << store.lastError();
                }
            }
        };
        QThread *a = QThread::create(writer, 1);
        QThread *b = QThread::create(writer, 2);
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        delete a;
        delete b;
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        TraceStore store;
        QVERIFY(store.open(path));
        for (int t = 0; t < 5; ++t) {
            const auto summary = store.traceSummary(QStringLiteral("shared-%1").arg(t));
            QVERIFY(summary);
            QCOMPARE(summary->spanCount, 40);
            QCOMPARE(summary->inputTokens, 400);
            QVERIFY(sameCost(summary->costUsd, 20.0));
        }
    }

    void createsWorkspace()
    {
        SQLITE_ONLY("file format, pragmas and FTS5 (pgCreatesStore covers PostgreSQL)");
        const QString path = m_tmp.filePath(QStringLiteral("nested/dir/workspace.sqlite"));
        {
            TraceStore store;
            QVERIFY2(store.open(path), qPrintable(store.lastError()));
            QVERIFY(store.isOpen());
            QVERIFY(!store.isReadOnly());
            QCOMPARE(store.path(), path);
            QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
            QVERIFY(TraceStore::currentSchemaVersion() >= 2);
            QCOMPARE(store.counts().traces, 0);
            QVERIFY(store.writeSpans({makeSpan("a", "1", "", 10, 20)}));
        }
        QVERIFY(QFileInfo::exists(path));
        RawDb raw(path);
        QVERIFY(raw.ok());
        QCOMPARE(raw.value("PRAGMA page_size").toInt(), 16384);
        QCOMPARE(raw.value("PRAGMA journal_mode").toString(), QStringLiteral("wal"));
        QCOMPARE(raw.value("PRAGMA application_id").toInt(), TraceStore::ApplicationId);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), TraceStore::currentSchemaVersion());
        QCOMPARE(raw.value("SELECT count(*) FROM spans").toInt(), 1);
        // FTS5 is compiled into this SQLite and the index table exists.
        QCOMPARE(raw.value("SELECT sqlite_compileoption_used('ENABLE_FTS5')").toInt(), 1);
        QVERIFY(raw.value("SELECT sql FROM sqlite_schema WHERE name = 'span_fts'").toString().contains("fts5"));
        QCOMPARE(raw.value("PRAGMA integrity_check").toString(), QStringLiteral("ok"));
    }

    void reopensWorkspace()
    {
        const QString path = freshPath();
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans({makeSpan("a", "1", "", 10, 20), makeSpan("a", "2", "1", 11, 12)}));
        }
        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.counts().spans, 2);
        QCOMPARE(store.loadSpans("a", false).size(), 2);
    }

    void emptyFileIsANewWorkspace()
    {
        SQLITE_ONLY("files");
        const QString path = freshPath();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
    }

    void refusesForeignFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::addRow("text file") << "text" << "not an SQLite database";
        QTest::addRow("binary file") << "binary" << "not an SQLite database";
        QTest::addRow("truncated SQLite header") << "short" << "not an SQLite database";
        QTest::addRow("foreign SQLite database") << "sqlite" << "another application";
        QTest::addRow("foreign SQLite in WAL mode") << "sqlite-wal" << "another application";
        QTest::addRow("SQLite with another application id") << "sqlite-appid" << "another application";
    }

    void refusesForeignFiles()
    {
        SQLITE_ONLY("files (pgRefusesForeignAndNewer covers PostgreSQL)");
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        const QString path = freshPath();
        if (kind == "text" || kind == "binary" || kind == "short") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (kind == "text") {
                f.write("trace_id,span_id\nabc,def\n");
            } else if (kind == "binary") {
                QByteArray b(8192, '\0');
                for (int i = 0; i < b.size(); ++i)
                    b[i] = char(QRandomGenerator::global()->bounded(256));
                f.write(b);
            } else {
                f.write(QByteArray("SQLite format 3\0\x40\x00", 18));
            }
        } else {
            RawDb raw(path);
            QVERIFY(raw.ok());
            if (kind == "sqlite-wal")
                QVERIFY(raw.exec("PRAGMA journal_mode=WAL"));
            if (kind == "sqlite-appid")
                QVERIFY(raw.exec("PRAGMA application_id = 1234"));
            QVERIFY(raw.exec("CREATE TABLE notes (body TEXT)"));
            QVERIFY(raw.exec("INSERT INTO notes VALUES ('keep me')"));
        }
        QVERIFY(!QFileInfo::exists(path + "-wal"));
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());
        const QDateTime modified = QFileInfo(path).lastModified();

        TraceStore store;
        QVERIFY(!store.open(path));
        QVERIFY(!store.isOpen());
        QVERIFY2(store.lastError().contains(QDir::toNativeSeparators(path)), qPrintable(store.lastError()));
        QVERIFY2(store.lastError().contains(reason), qPrintable(store.lastError()));
        QVERIFY(!store.writeSpans({makeSpan("a", "1", "", 1, 2)}));
        store.close();

        QCOMPARE(fileBytes(path), before);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
        QVERIFY(!QFileInfo::exists(path + "-wal"));
        QVERIFY(!QFileInfo::exists(path + "-shm"));
        QVERIFY(!QFileInfo::exists(path + "-journal"));
    }

    void refusesDirectory()
    {
        SQLITE_ONLY("files");
        TraceStore store;
        QVERIFY(!store.open(m_tmp.path()));
        QVERIFY(store.lastError().contains(QDir::toNativeSeparators(m_tmp.path())));
    }

    void refusesNewerSchema()
    {
        SQLITE_ONLY("PRAGMA user_version (pgRefusesForeignAndNewer covers PostgreSQL)");
        const QString path = freshPath();
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans({makeSpan("a", "1", "", 10, 20)}));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = %1").arg(TraceStore::currentSchemaVersion() + 1)));
        }
        const QByteArray before = fileBytes(path);
        TraceStore store;
        QVERIFY(!store.open(path));
        QVERIFY2(store.lastError().contains("newer version"), qPrintable(store.lastError()));
        QVERIFY(store.lastError().contains(QDir::toNativeSeparators(path)));
        QCOMPARE(fileBytes(path), before);
        QVERIFY(!QFileInfo::exists(path + "-wal"));
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), TraceStore::currentSchemaVersion() + 1);
        QCOMPARE(raw.value("SELECT count(*) FROM spans").toInt(), 1);
    }

    void migratesFromVersion1()
    {
        SQLITE_ONLY("PostgreSQL stores start at schema version 3");
        const QString path = freshPath();
        // Version 1 as an older Spanscope wrote it: core tables only, no full-text index, a
        // summary row for one trace only (the other trace's was never written).
        SpanList expected;
        {
            Span r = makeSpan("m1", "root", "", 100, 900);
            r.name = "old agent";
            r.kind = SpanKind::Agent;
            r.serviceName = "legacy-svc";
            r.sessionId = "sess-9";
            r.input = {"migrate the penguins", "text/plain"};
            expected << r;
            Span l = llmSpan("m1", "llm", "root", 200, 800, "gpt-4", 12, 30, 0.125);
            l.serviceName = "legacy-svc";
            l.userId = "user-7";
            l.output = {"penguins migrated successfully", "text/plain"};
            expected << l;
            Span u = llmSpan("m2", "solo", "", 50, 60, "local-llama", 5, 5, 0, CostSource::None);
            u.status = StatusCode::Error;
            u.statusMessage = "timeout";
            expected << u;
        }
        {
            RawDb raw(path);
            QVERIFY(raw.ok());
            QVERIFY(raw.exec("PRAGMA page_size = 16384"));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA application_id = %1").arg(TraceStore::ApplicationId)));
            QString error;
            const QStringList v1 = SqlScript::load(QStringLiteral(SPANSCOPE_SOURCE_DIR "/models/store/sql/0001_core.sql"),
                                                   &error);
            QVERIFY2(!v1.isEmpty(), qPrintable(error));
            for (const QString &sql : v1)
                QVERIFY(raw.exec(sql));
            QSqlQuery q(raw.db());
            QVERIFY(q.prepare("INSERT INTO spans (trace_id, span_id, parent_id, name, kind, otel_kind, service, "
                              "start_ns, end_ns, status, status_message, model, request_model, provider, input_tokens, "
                              "output_tokens, total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, "
                              "cost_usd, cost_input_usd, cost_output_usd, cost_source, session_id, user_id) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
            for (const Span &s : expected) {
                const QVariantList values{s.traceId, s.spanId, s.parentSpanId, s.name, int(s.kind), s.otelKind,
                                          s.serviceName, s.startNs, s.endNs, int(s.status), s.statusMessage,
                                          s.model(), s.requestModel, s.provider, s.tokens.input, s.tokens.output,
                                          s.tokens.total, s.tokens.cachedInput, s.tokens.cacheCreation,
                                          s.tokens.reasoning, s.cost.totalUsd, s.cost.inputUsd, s.cost.outputUsd,
                                          int(s.cost.source), s.sessionId, s.userId};
                for (int i = 0; i < values.size(); ++i) {
                    const QVariant &v = values[i];
                    q.bindValue(i, v.typeId() == QMetaType::QString && v.toString().isNull() ? QVariant(QString(""))
                                                                                            : v);
                }
                QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            }
            QSqlQuery d(raw.db());
            QVERIFY(d.prepare("INSERT INTO span_details (trace_id, span_id, input, input_mime, output, output_mime) "
                              "VALUES (?,?,?,?,?,?)"));
            for (const Span &s : expected) {
                for (const QString &v : {s.traceId, s.spanId, s.input.value, s.input.mimeType, s.output.value,
                                         s.output.mimeType})
                    d.addBindValue(v.isNull() ? QString("") : v);
                QVERIFY2(d.exec(), qPrintable(d.lastError().text()));
            }
            QVERIFY(raw.exec("INSERT INTO traces (trace_id, name, start_ns, end_ns, span_count) "
                             "VALUES ('m1', 'stale name', 100, 900, 1)"));
            QVERIFY(raw.exec("PRAGMA user_version = 1"));
        }

        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
        for (const QString &traceId : {QStringLiteral("m1"), QStringLiteral("m2")}) {
            SpanList want;
            for (const Span &s : expected) {
                if (s.traceId == traceId)
                    want << s;
            }
            QCOMPARE(store.loadSpans(traceId, true), byStart(want));
            const auto summary = store.traceSummary(traceId);
            QVERIFY(summary);
            compareSummary(*summary, summarize(byStart(want)));
        }
        QCOMPARE(store.traceSummary("m1")->name, QStringLiteral("old agent"));
        QCOMPARE(store.traceSummary("m2")->unpricedModels, QStringList{"local-llama"});
        // The existing spans wait for the full-text index, then are found.
        QCOMPARE(store.counts().pendingFullText, 3);
        QVERIFY(store.search("penguins").isEmpty());
        QCOMPARE(store.indexFullText(), 3);
        QCOMPARE(hitSpans(store.search("penguins")), (QStringList{"m1/llm", "m1/root"}));
        QCOMPARE(hitSpans(store.search("solo")), QStringList{"m2/solo"});  // by span name
        QCOMPARE(store.counts().pendingFullText, 0);
        // And the migrated workspace takes new spans like a new one.
        QVERIFY(store.writeSpans({makeSpan("m1", "late", "root", 850, 950)}));
        compareSummary(*store.traceSummary("m1"), summarize(store.loadSpans("m1", false)));
        QCOMPARE(store.traceSummary("m1")->endNs, 950);
    }

    // Schema 5 rewrites span_details without its (trace_id, span_id) key only below 100,000 spans;
    // a bigger workspace keeps the key, gets every span's detail_id, and works as a new one.
    void bigWorkspaceKeepsItsDetailsKeyOnUpgrade()
    {
        SQLITE_ONLY("PostgreSQL keeps the key in every version");
        const QString path = freshPath();
        constexpr int Spans = 100000;
        {
            RawDb raw(path);
            QVERIFY(raw.ok());
            QVERIFY(raw.exec("PRAGMA page_size = 16384"));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA application_id = %1").arg(TraceStore::ApplicationId)));
            for (const char *script : {"0001_core.sql", "0002_fulltext_summaries.sql", "0003_dashboard.sql",
                                       "0004_message_references.sql"}) {
                QString error;
                const QStringList statements =
                    SqlScript::load(QStringLiteral(SPANSCOPE_SOURCE_DIR "/models/store/sql/") + script, &error);
                QVERIFY2(!statements.isEmpty(), qPrintable(error));
                for (const QString &sql : statements)
                    QVERIFY2(raw.exec(sql), script);
            }
            // Trace tNNNN holds spans 50·N … 50·N + 49; details ids run backwards, so that a
            // detail_id taken from the row's position instead of the key would show.
            QVERIFY(raw.exec("BEGIN"));
            QVERIFY(raw.exec(QStringLiteral(
                "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x + 1 < %1) "
                "INSERT INTO spans (trace_id, span_id, name, start_ns, end_ns) "
                "SELECT printf('t%04d', x / 50), printf('s%06d', x), 'step ' || x, 1000 + x, 2000 + x FROM n").arg(Spans)));
            QVERIFY(raw.exec(QStringLiteral(
                "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x + 1 < %1) "
                "INSERT INTO span_details (id, trace_id, span_id, name, input) "
                "SELECT %1 - x, printf('t%04d', x / 50), printf('s%06d', x), 'step ' || x, 'input of ' || x FROM n").arg(Spans)));
            QVERIFY(raw.exec(QStringLiteral("UPDATE meta SET fts_pending = %1").arg(Spans)));
            QVERIFY(raw.exec("COMMIT"));
            QVERIFY(raw.exec("PRAGMA user_version = 4"));
        }

        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
        {
            RawDb raw(path);
            QCOMPARE(raw.value("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_autoindex_span_details_1'").toInt(), 1);
            QCOMPARE(raw.value("SELECT count(*) FROM spans s JOIN span_details d ON d.id = s.detail_id "
                               "AND d.trace_id = s.trace_id AND d.span_id = s.span_id").toInt(), Spans);
        }
        Span s = store.loadSpans("t0007", true).value(3);
        QCOMPARE(s.spanId, QStringLiteral("s000353"));
        QCOMPARE(s.input.value, QStringLiteral("input of 353"));
        Span fromKey = s;
        fromKey.input = {};
        QVERIFY(store.loadSpanDetails(fromKey));
        QCOMPARE(fromKey.input.value, s.input.value);

        // An unfinished copy is kept out (the key skips its details), a finished one replaces.
        Span running = s;
        running.endNs = 0;
        running.input = {"running copy", "text/plain"};
        QVERIFY(store.writeSpans({running}));
        QCOMPARE(store.loadSpans("t0007", true).value(3).input.value, QStringLiteral("input of 353"));
        Span again = s;
        again.endNs = 5000;
        again.input = {"finished again", "text/plain"};
        QVERIFY(store.writeSpans({again}));
        QCOMPARE(store.loadSpans("t0007", true).value(3).input.value, QStringLiteral("finished again"));
        RawDb raw(path);
        QCOMPARE(raw.value("SELECT count(*) FROM span_details").toInt(), Spans);
        QCOMPARE(store.counts().pendingFullText, Spans);
        QCOMPARE(store.indexFullText(), Spans);
        QCOMPARE(hitSpans(store.search("again")), QStringList{"t0007/s000353"});
    }

    void upsertAndReimport()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        SpanList batch = listFixture();
        QVERIFY(store.writeSpans(batch));
        const WorkspaceCounts first = store.counts();
        QCOMPARE(first.traces, 8);
        QCOMPARE(first.spans, batch.size());
        QCOMPARE(first.pendingFullText, 0);
        const QList<TraceSummary> listed = store.listTraces({});
        const QList<SearchHit> hits = store.search("capital");
        QCOMPARE(hits.size(), 1);

        // The same file imported again, then once more in bulk mode.
        QVERIFY(store.writeSpans(batch));
        QVERIFY(store.beginBulk());
        QVERIFY(store.writeSpans(batch));
        QVERIFY(store.endBulk());
        QVERIFY(store.indexFullText() >= 0);
        const WorkspaceCounts again = store.counts();
        QCOMPARE(again.traces, first.traces);
        QCOMPARE(again.spans, first.spans);
        QCOMPARE(again.pendingFullText, 0);
        const QList<TraceSummary> relisted = store.listTraces({});
        QCOMPARE(relisted.size(), listed.size());
        for (int i = 0; i < listed.size(); ++i)
            compareSummary(relisted[i], listed[i]);
        QCOMPARE(store.search("capital").size(), 1);
        QCOMPARE(store.loadSpans("t2", true), byStart(SpanList{batch[2], batch[3], batch[4]}));
        {
            const Trace loaded = store.loadTrace("t2", true);
            const Trace expected(SpanList{batch[4], batch[2], batch[3]});
            QCOMPARE(loaded.size(), 3);
            QCOMPARE(dumpTree(loaded), dumpTree(expected));
            for (int i = 0; i < loaded.size(); ++i)
                QCOMPARE(loaded.span(i), expected.span(i));
        }

        // A duplicate within one batch is stored once: the later copy.
        Span a = makeSpan("dup", "s", "", 1, 2);
        a.name = "first copy";
        Span b = a;
        b.name = "second copy";
        QVERIFY(store.writeSpans({a, b}));
        QCOMPARE(store.loadSpans("dup", false).size(), 1);
        QCOMPARE(store.loadSpans("dup", false).first().name, QStringLiteral("second copy"));
        QCOMPARE(store.traceSummary("dup")->spanCount, 1);

        RawDb raw(store.path());
        QCOMPARE(raw.value("SELECT count(*) FROM span_details").toInt(), batch.size() + 1);
        if (!pgMode())
            QVERIFY(raw.exec("INSERT INTO span_fts(span_fts, rank) VALUES ('integrity-check', 1)"));
    }

    void unfinishedNeverReplacesFinished_data()
    {
        QTest::addColumn<bool>("sameBatch");
        QTest::addColumn<bool>("finishedFirst");
        QTest::addColumn<bool>("bulk");
        // A workspace of 100,000 spans or more at the upgrade to schema 5 keeps its unique (trace_id,
        // span_id) index on span_details.
        QTest::addColumn<bool>("detailsKeyed");
        QTest::addRow("separate batches, finished first") << false << true << false << false;
        QTest::addRow("separate batches, unfinished first") << false << false << false << false;
        QTest::addRow("one batch, finished first") << true << true << false << false;
        QTest::addRow("one batch, unfinished first") << true << false << false << false;
        QTest::addRow("bulk, separate batches, finished first") << false << true << true << false;
        QTest::addRow("keyed details, separate batches, finished first") << false << true << false << true;
        QTest::addRow("keyed details, bulk, separate batches, finished first") << false << true << true << true;
    }

    void unfinishedNeverReplacesFinished()
    {
        QFETCH(bool, sameBatch);
        QFETCH(bool, finishedFirst);
        QFETCH(bool, bulk);
        QFETCH(bool, detailsKeyed);
        const QString path = freshPath();
        if (detailsKeyed && !pgMode()) {
            TraceStore created;
            QVERIFY(created.open(path));
            QVERIFY(RawDb(path).exec("CREATE UNIQUE INDEX old_key ON span_details (trace_id, span_id)"));
        }
        TraceStore store;
        QVERIFY(store.open(path));
        if (bulk)
            QVERIFY(store.beginBulk());
        Span finished = makeSpan("t", "s", "", 100, 200);
        finished.name = "done";
        finished.output = {"finished output zebra", "text/plain"};
        finished.status = StatusCode::Ok;
        Span running = makeSpan("t", "s", "", 100, 0);
        running.name = "running";
        running.input = {"partial input giraffe", "text/plain"};
        const SpanList order = finishedFirst ? SpanList{finished, running} : SpanList{running, finished};
        if (sameBatch) {
            QVERIFY(store.writeSpans(order));
        } else {
            QVERIFY(store.writeSpans({order[0]}));
            QVERIFY(store.writeSpans({order[1]}));
        }
        if (bulk) {
            // PostgreSQL indexes as it stores (a generated column).
            QCOMPARE(store.counts().pendingFullText, pgMode() ? 0 : 1);
            QVERIFY(store.endBulk());
            QCOMPARE(store.indexFullText(), pgMode() ? 0 : 1);
        }
        const SpanList stored = store.loadSpans("t", true);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first(), finished);
        compareSummary(*store.traceSummary("t"), summarize({finished}));
        QCOMPARE(hitSpans(store.search("zebra")), QStringList{"t/s"});
        QVERIFY(store.search("giraffe").isEmpty());
        // The unfinished copy left no details row behind.
        QCOMPARE(store.counts().pendingFullText, 0);
        QCOMPARE(RawDb(store.path()).value("SELECT count(*) FROM span_details").toInt(), 1);

        // A later finished copy does replace it.
        Span corrected = finished;
        corrected.endNs = 300;
        corrected.output.value = "corrected output walrus";
        QVERIFY(store.writeSpans({corrected}));
        QCOMPARE(store.loadSpans("t", true), SpanList{corrected});
        QCOMPARE(store.traceSummary("t")->endNs, 300);
        QVERIFY(store.search("zebra").isEmpty());
        QCOMPARE(hitSpans(store.search("walrus")), QStringList{"t/s"});
    }

    void rollupsEqualSummarize_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<bool>("bulk");
        QTest::addRow("live, seed 1") << 1u << false;
        QTest::addRow("live, seed 2") << 2u << false;
        QTest::addRow("bulk, seed 3") << 3u << true;
        QTest::addRow("bulk, seed 4") << 4u << true;
    }

    void rollupsEqualSummarize()
    {
        QFETCH(quint32, seed);
        QFETCH(bool, bulk);
        QRandomGenerator rng(seed);
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        if (bulk)
            QVERIFY(store.beginBulk());
        const QStringList models{"gpt-4o", "claude-3-5-sonnet", "mistral", "ünïcode-model"};
        const QStringList services{"api", "worker", "rag", ""};
        const QStringList sessions{"", "", "sess-a", "sess-b"};
        const QStringList users{"", "", "", "user-1", "user-2"};
        auto pick = [&](const QStringList &l) { return l[rng.bounded(int(l.size()))]; };
        std::map<std::pair<QString, QString>, Span> truth;

        auto randomSpan = [&](const QString &trace, int spanNo) {
            const QString id = QStringLiteral("s%1").arg(spanNo);
            // Parents: mostly the span 0, sometimes none (several roots) or a missing one.
            QString parent;
            const int p = rng.bounded(10);
            if (spanNo > 0 && p < 7)
                parent = "s0";
            else if (p == 7)
                parent = "never-arrived";
            const qint64 start = 1000 + rng.bounded(50) * 10;  // ties on purpose
            const qint64 end = rng.bounded(8) == 0 ? 0 : start + rng.bounded(5000);
            Span s = makeSpan(trace, id, parent, start, end);
            s.name = QStringLiteral("op-%1").arg(rng.bounded(1000));
            s.kind = static_cast<SpanKind>(rng.bounded(SpanKindCount));
            s.status = static_cast<StatusCode>(rng.bounded(3));
            s.serviceName = pick(services);
            s.sessionId = pick(sessions);
            s.userId = pick(users);
            const int m = rng.bounded(6);
            if (m < 4) {
                s.requestModel = models[m];
                if (rng.bounded(2))
                    s.responseModel = models[m] + "-2024";
            }
            if (rng.bounded(3)) {
                s.tokens.input = rng.bounded(3) ? qint64(rng.bounded(1000)) : -1;
                s.tokens.output = rng.bounded(3) ? qint64(rng.bounded(500)) : -1;
                if (rng.bounded(3) == 0)
                    s.tokens.total = s.tokens.input + s.tokens.output + 7;
            } else if (rng.bounded(4) == 0) {
                s.tokens.cacheCreation = 100;  // tokens known, but not input/output/total
            }
            const int c = rng.bounded(4);
            if (c > 0)
                s.cost = {rng.bounded(1000) / 997.0, 0.001, 0.002, c == 1 ? CostSource::Reported : CostSource::Computed};
            return s;
        };

        const int traceCount = 6;
        for (int round = 0; round < 12; ++round) {
            SpanList batch;
            const int size = 1 + rng.bounded(40);
            for (int i = 0; i < size; ++i) {
                const QString trace = QStringLiteral("trace-%1").arg(rng.bounded(traceCount));
                // A small id space per trace: many spans are replaced, some twice in one batch.
                batch << randomSpan(trace, rng.bounded(25));
            }
            QVERIFY2(store.writeSpans(batch), qPrintable(store.lastError()));
            for (const Span &s : std::as_const(batch))
                applyUpsert(truth, s);
            for (int t = 0; t < traceCount; ++t) {
                const QString trace = QStringLiteral("trace-%1").arg(t);
                const SpanList want = truthOf(truth, trace);
                const auto stored = store.traceSummary(trace);
                if (want.isEmpty()) {
                    QVERIFY(!stored);
                    continue;
                }
                QVERIFY(stored);
                compareSummary(*stored, summarize(want));
                if (QTest::currentTestFailed()) {
                    qWarning() << "round" << round << "trace" << trace;
                    return;
                }
                const SpanList loaded = store.loadSpans(trace, false);
                QCOMPARE(loaded.size(), want.size());
                compareSummary(*stored, summarize(loaded));
            }
        }
        if (bulk)
            QVERIFY(store.endBulk());
        QCOMPARE(store.counts().spans, qint64(truth.size()));
    }

    void listTracesFilters_data()
    {
        QTest::addColumn<TraceQuery>("query");
        QTest::addColumn<QStringList>("expected");  // in the expected order
        auto q = [] {
            TraceQuery t;
            t.sort = TraceQuery::Sort::Start;
            t.descending = false;
            return t;
        };
        const qint64 t0 = 1'700'000'000'000'000'000LL;
        TraceQuery t = q();
        QTest::addRow("all") << t << QStringList{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"};
        t = q();
        t.model = "gpt-4o";
        QTest::addRow("model, case-insensitive") << t << QStringList{"t1", "t3"};
        t.model = "GPT-4O-MINI";
        QTest::addRow("model exact, not prefix") << t << QStringList{"t5"};
        t.model = "gpt";
        QTest::addRow("model prefix matches nothing") << t << QStringList{};
        t = q();
        t.service = "svc-a";
        QTest::addRow("service of any span") << t << QStringList{"t1", "t2", "t3"};
        t = q();
        t.sessionId = "s1";
        QTest::addRow("session") << t << QStringList{"t1", "t4"};
        t = q();
        t.userId = "u1";
        QTest::addRow("user") << t << QStringList{"t1", "t2"};
        t = q();
        t.status = TraceQuery::Status::Error;
        QTest::addRow("errors") << t << QStringList{"t2", "t5"};
        t.status = TraceQuery::Status::Ok;
        QTest::addRow("ok") << t << QStringList{"t1", "t3", "t4", "t6", "t7", "t8"};
        t = q();
        t.sinceNs = t0 + 2000;
        t.untilNs = t0 + 5000;
        QTest::addRow("time window, since inclusive, until exclusive") << t << QStringList{"t3", "t4", "t5"};
        t = q();
        t.minDurationNs = 90000;
        QTest::addRow("min duration") << t << QStringList{"t2", "t5"};
        t = q();
        t.minCostUsd = 0.5;
        QTest::addRow("min cost, inclusive") << t << QStringList{"t1", "t3", "t4", "t5"};
        t = q();
        t.search = "capital";
        QTest::addRow("search input") << t << QStringList{"t1"};
        t.search = "quota";
        QTest::addRow("search output") << t << QStringList{"t5"};
        t.search = "fetch_report";
        QTest::addRow("search span name") << t << QStringList{"t2"};
        t.search = "gpt-4o";  // FTS5 syntax error ("-" operator): searched as a phrase instead
        QTest::addRow("search text that is not FTS syntax") << t << QStringList{};
        t.search = "\"capital of";
        QTest::addRow("search with unbalanced quote") << t << QStringList{"t1"};
        t.search = "capital OR quarterly";
        QTest::addRow("search with FTS syntax") << t << QStringList{"t1", "t2"};
        t = q();
        t.model = "gpt-4o";
        t.service = "svc-a";
        t.userId = "u2";
        QTest::addRow("filters combine") << t << QStringList{"t3"};
        t = q();
        t.service = "x' OR '1'='1";
        QTest::addRow("user text is never SQL") << t << QStringList{};
    }

    void listTracesFilters()
    {
        QFETCH(TraceQuery, query);
        QFETCH(QStringList, expected);
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans(listFixture()));
        QCOMPARE(ids(store.listTraces(query)), expected);
        QCOMPARE(store.countTraces(query), expected.size());
        QVERIFY2(store.lastError().isEmpty(), qPrintable(store.lastError()));
    }

    void listTracesSorts_data()
    {
        QTest::addColumn<int>("sort");
        QTest::addColumn<bool>("descending");
        for (int s = int(TraceQuery::Sort::Start); s <= int(TraceQuery::Sort::Models); ++s) {
            QTest::addRow("sort %d ascending", s) << s << false;
            QTest::addRow("sort %d descending", s) << s << true;
        }
    }

    // The expected order comes from the fixture's summaries (summarize()), sorted here by the
    // documented rule: the key, then the trace id, both in the requested direction.
    void listTracesSorts()
    {
        QFETCH(int, sort);
        QFETCH(bool, descending);
        const SpanList fixture = listFixture();
        QList<TraceSummary> summaries;
        for (const QString id : {"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}) {
            SpanList spans;
            for (const Span &s : fixture) {
                if (s.traceId == id)
                    spans << s;
            }
            summaries << summarize(byStart(spans));
        }
        const auto key = [sort](const TraceSummary &t) -> QVariant {
            switch (TraceQuery::Sort(sort)) {
            case TraceQuery::Sort::Start: return t.startNs;
            case TraceQuery::Sort::Duration: return t.durationNs();
            case TraceQuery::Sort::Name: return t.name;
            case TraceQuery::Sort::Spans: return t.spanCount;
            case TraceQuery::Sort::Errors: return t.errorCount;
            case TraceQuery::Sort::InputTokens: return t.inputTokens;
            case TraceQuery::Sort::OutputTokens: return t.outputTokens;
            case TraceQuery::Sort::Cost: return t.costUsd;
            case TraceQuery::Sort::Session: return t.sessionId;
            case TraceQuery::Sort::User: return t.userId;
            case TraceQuery::Sort::Service: return t.serviceName;
            case TraceQuery::Sort::Models: return t.models.join(QChar(0x1f));
            }
            return {};
        };
        std::sort(summaries.begin(), summaries.end(), [&](const TraceSummary &a, const TraceSummary &b) {
            const QVariant ka = key(a), kb = key(b);
            const auto c = QVariant::compare(ka, kb);
            if (c != QPartialOrdering::Equivalent)
                return descending ? c == QPartialOrdering::Greater : c == QPartialOrdering::Less;
            return descending ? a.traceId > b.traceId : a.traceId < b.traceId;
        });

        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans(fixture));
        TraceQuery query;
        query.sort = TraceQuery::Sort(sort);
        query.descending = descending;
        query.limit = 0;
        QCOMPARE(ids(store.listTraces(query)), ids(summaries));

        // Paging walks the same order without gaps or repeats.
        QStringList paged;
        query.limit = 3;
        for (query.offset = 0; query.offset < 10; query.offset += 3)
            paged << ids(store.listTraces(query));
        QCOMPARE(paged, ids(summaries));
        query.offset = 8;
        QVERIFY(store.listTraces(query).isEmpty());
    }

    void listedSummariesAreComplete()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        const SpanList fixture = listFixture();
        QVERIFY(store.writeSpans(fixture));
        for (const TraceSummary &t : store.listTraces({})) {
            SpanList spans;
            for (const Span &s : fixture) {
                if (s.traceId == t.traceId)
                    spans << s;
            }
            compareSummary(t, summarize(byStart(spans)));
        }
        const TraceSummary t2 = *store.traceSummary("t2");
        QCOMPARE(t2.services, (QStringList{"svc-a", "svc-b"}));
        QCOMPARE(t2.unpricedModels, QStringList{"claude-3-5-sonnet"});
        QCOMPARE(t2.errorCount, 2);
        QCOMPARE(store.traceSummary("t6")->name, QStringLiteral("orphan step"));
        QVERIFY(!store.traceSummary("nope"));
        QVERIFY(store.loadSpans("nope", true).isEmpty());
        QVERIFY(store.lastError().isEmpty());
    }

    void fullTextSearch()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans(listFixture()));
        QCOMPARE(hitSpans(store.search("capital")), QStringList{"t1/l"});      // input and output
        QCOMPARE(hitSpans(store.search("quota")), QStringList{"t5/l"});        // output
        QCOMPARE(hitSpans(store.search("fetch_report")), QStringList{"t2/x"}); // name
        QCOMPARE(hitSpans(store.search("name:capital")), QStringList{});       // column filter syntax
        const QList<SearchHit> hits = store.search("quarterly");
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.first().spanName, QStringLiteral("l"));
        QVERIFY2(hits.first().snippet.contains("quarterly"), qPrintable(hits.first().snippet));
        QCOMPARE(store.search("capital", 0).size(), 1);
        QVERIFY(store.search("   ").isEmpty());

        // Bulk: nothing searchable until indexFullText(), which reports progress through counts().
        QVERIFY(store.beginBulk());
        SpanList bulk;
        for (int i = 0; i < 30; ++i) {
            Span s = makeSpan("bulk", QStringLiteral("b%1").arg(i), i ? "b0" : "", 10 + i, 20 + i);
            s.input.value = QStringLiteral("bulk input number%1 platypus").arg(i);
            bulk << s;
        }
        QVERIFY(store.writeSpans(bulk));
        if (pgMode()) {
            // PostgreSQL indexes each row as it is written, in bulk mode too.
            QCOMPARE(store.counts().pendingFullText, 0);
            QCOMPARE(store.search("platypus", 1000).size(), 30);
            QVERIFY(store.endBulk());
            QCOMPARE(store.indexFullText(10), 0);
        } else {
            QCOMPARE(store.counts().pendingFullText, 30);
            QVERIFY(store.search("platypus").isEmpty());
            QVERIFY(store.endBulk());
            QCOMPARE(store.indexFullText(10), 10);
            QCOMPARE(store.counts().pendingFullText, 20);
            QCOMPARE(store.indexFullText(), 20);
        }
        QCOMPARE(store.counts().pendingFullText, 0);
        QCOMPARE(store.search("platypus", 1000).size(), 30);
        QCOMPARE(hitSpans(store.search("number7")), QStringList{"bulk/b7"});
        QCOMPARE(store.indexFullText(), 0);

        // A replaced span's old text no longer matches, in live and in bulk mode.
        Span b7 = bulk[7];
        b7.input.value = "replacement text kangaroo";
        QVERIFY(store.writeSpans({b7}));
        QVERIFY(store.search("number7").isEmpty());
        QCOMPARE(hitSpans(store.search("kangaroo")), QStringList{"bulk/b7"});
        QVERIFY(store.beginBulk());
        b7.input.value = "second replacement wombat";
        QVERIFY(store.writeSpans({b7}));
        QVERIFY(store.search("kangaroo").isEmpty());
        QCOMPARE(store.search("wombat").size(), pgMode() ? 1 : 0);
        QCOMPARE(store.counts().pendingFullText, pgMode() ? 0 : 1);
        // Replaced again before it was ever indexed: still one pending row, not two.
        b7.input.value = "third replacement echidna";
        QVERIFY(store.writeSpans({b7}));
        QCOMPARE(store.counts().pendingFullText, pgMode() ? 0 : 1);
        QVERIFY(store.endBulk());
        QCOMPARE(store.indexFullText(), pgMode() ? 0 : 1);
        QVERIFY(store.search("wombat").isEmpty());
        QCOMPARE(hitSpans(store.search("echidna")), QStringList{"bulk/b7"});
        QCOMPARE(store.search("platypus", 1000).size(), 29);
        if (pgMode())
            return;

        RawDb raw(store.path());
        QVERIFY(raw.exec("INSERT INTO span_fts(span_fts, rank) VALUES ('integrity-check', 1)"));
    }

    void broadSearchFiltersTheSameTraces()
    {
        // Past 30,000 matching spans the trace filter probes each trace's spans instead of reading
        // the trace of every match; both forms must select the same traces.
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(writeSearchCorpus(store, 340, 330, 7));
        QCOMPARE(store.counts().pendingFullText, 0);

        const auto traces = [&](const QString &text) {
            TraceQuery q;
            q.search = text;
            q.limit = 1000;
            QStringList ids;
            for (const TraceSummary &summary : store.listTraces(q))
                ids << summary.traceId;
            ids.sort();
            return std::make_pair(store.countTraces(q), ids);
        };
        const auto [commonCount, common] = traces(QStringLiteral("common"));   // 33,000 spans match
        QCOMPARE(commonCount, 330);
        QCOMPARE(common.size(), 330);
        QCOMPARE(common.first(), QStringLiteral("trace000"));
        QCOMPARE(common.last(), QStringLiteral("trace329"));
        const auto [rareCount, rare] = traces(QStringLiteral("rare"));         // 49 spans match
        QCOMPARE(rareCount, 49);
        QVERIFY(rare.contains(QStringLiteral("trace336")));
        QVERIFY(!rare.contains(QStringLiteral("trace001")));
        QCOMPARE(traces(QStringLiteral("common rare")).first, 48);             // both words, one trace
        QCOMPARE(traces(QStringLiteral("nowhere")).first, 0);
    }

    // The store keeps the matches of its last search for the next query with the same text; writes
    // on this connection or another one, and other searches in between, are seen by the next query.
    void searchResultsFollowWrites()
    {
        const QString path = freshPath();
        TraceStore store;
        QVERIFY(store.open(path));
        QVERIFY(writeSearchCorpus(store, 310, 305, 10));

        const auto count = [&](const QString &text) {
            TraceQuery q;
            q.search = text;
            q.limit = 1000;
            const qint64 n = store.countTraces(q);
            if (store.listTraces(q).size() != n)
                return qint64(-1);
            return n;
        };
        const auto addTrace = [](TraceStore &to, const QString &trace, const QString &text) {
            Span s = makeSpan(trace, QStringLiteral("only"), QString(), 1, 2);
            s.input.value = text;
            return to.writeSpans({s});
        };
        QCOMPARE(count(QStringLiteral("common")), 305);  // 30,500 spans match: the broad form
        QCOMPARE(count(QStringLiteral("common")), 305);
        QCOMPARE(count(QStringLiteral("rare")), 31);
        QCOMPARE(count(QStringLiteral("common")), 305);

        // Written on this connection.
        QVERIFY(addTrace(store, QStringLiteral("mine-1"), QStringLiteral("common and rare")));
        QVERIFY(store.indexFullText() >= 0);
        QCOMPARE(count(QStringLiteral("common")), 306);
        QCOMPARE(count(QStringLiteral("rare")), 32);

        // Written on another connection.
        {
            TraceStore other;
            QVERIFY(other.open(path));
            QVERIFY(addTrace(other, QStringLiteral("theirs-1"), QStringLiteral("common")));
            QVERIFY(other.indexFullText() >= 0);
            QCOMPARE(count(QStringLiteral("common")), 307);
            QVERIFY(addTrace(other, QStringLiteral("theirs-2"), QStringLiteral("rare")));
            QVERIFY(other.indexFullText() >= 0);
            QCOMPARE(count(QStringLiteral("rare")), 33);
            // trace000's only rare span, replaced by one without the word.
            Span replaced = makeSpan(QStringLiteral("trace000"), QStringLiteral("s5"), QStringLiteral("s0"), 5, 6);
            replaced.input.value = QStringLiteral("common words");
            QVERIFY(other.writeSpans({replaced}));
            QVERIFY(other.indexFullText() >= 0);
        }
        QCOMPARE(count(QStringLiteral("rare")), 32);
        QCOMPARE(count(QStringLiteral("common")), 307);
        QCOMPARE(count(QStringLiteral("nowhere")), 0);
    }

    // Deferred, a write outside bulk mode leaves its spans to indexFullText(); lifted, the next
    // write indexes its own spans and the small backlog with them.
    void deferredFullTextWaitsForIndexing()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(!store.isFullTextDeferred());
        store.setFullTextDeferred(true);
        QVERIFY(store.isFullTextDeferred());
        Span a = makeSpan("x", "a", "", 1, 2);
        a.input.value = "written while deferred";
        QVERIFY(store.writeSpans({a}));
        QCOMPARE(store.counts().spans, 1);
        if (pgMode()) {
            // PostgreSQL indexes text as it is written: nothing is ever pending.
            QCOMPARE(store.counts().pendingFullText, 0);
            QCOMPARE(hitSpans(store.search("deferred")), QStringList{"x/a"});
            return;
        }
        QCOMPARE(store.counts().pendingFullText, 1);
        QVERIFY(store.search("deferred").isEmpty());
        store.setFullTextDeferred(false);
        Span b = makeSpan("x", "b", "a", 1, 2);
        b.input.value = "written after";
        QVERIFY(store.writeSpans({b}));
        QCOMPARE(store.counts().pendingFullText, 0);
        QCOMPARE(hitSpans(store.search("written")), (QStringList{"x/a", "x/b"}));
        store.setFullTextDeferred(true);
        Span c = makeSpan("x", "c", "a", 1, 2);
        c.input.value = "deferred again";
        QVERIFY(store.writeSpans({c}));
        QCOMPARE(store.indexFullText(), 1);
        QCOMPARE(hitSpans(store.search("deferred")), (QStringList{"x/a", "x/c"}));
    }

    void liveWritesCatchUpASmallBacklog()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.beginBulk());
        Span a = makeSpan("x", "a", "", 1, 2);
        a.input.value = "left behind by a bulk import";
        QVERIFY(store.writeSpans({a}));
        QVERIFY(store.endBulk());
        QCOMPARE(store.counts().pendingFullText, pgMode() ? 0 : 1);
        Span b = makeSpan("x", "b", "a", 1, 2);
        b.input.value = "arrived live";
        QVERIFY(store.writeSpans({b}));
        QCOMPARE(store.counts().pendingFullText, 0);
        QCOMPARE(hitSpans(store.search("behind OR live")), (QStringList{"x/a", "x/b"}));
    }

    void roundTripsTextOfEveryLength()
    {
        // Text columns are bound as UTF-8 converted into the statement's arena
        // (sqlite::Statement::bindText): every length up to 40, with non-ASCII text at every place,
        // comes back as it was written.
        QTemporaryDir dir;
        TraceStore store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("t.sqlite"))));
        SpanList spans;
        const QStringList others = {QStringLiteral("\u00e9"), QStringLiteral("\u4e2d"), QStringLiteral("\U0001F600"),
                                    QString(QChar(0x7f)), QString(QChar(0x80))};
        for (int length = 0; length <= 40; ++length) {
            for (int at = -1; at < length; ++at) {
                QString name;
                for (int i = 0; i < length; ++i)
                    name += QChar(u'a' + (i * 7 + length) % 26);
                if (at >= 0)
                    name.replace(at, 1, others[(at + length) % others.size()]);
                Span s = makeSpan(QStringLiteral("t%1").arg(length), QStringLiteral("s%1").arg(at + 1), QString(), 1000, 2000);
                s.name = name;
                s.serviceName = name;
                s.input = {name, QStringLiteral("text/plain")};
                spans.push_back(s);
            }
        }
        QVERIFY2(store.writeSpans(spans), qPrintable(store.lastError()));
        for (const Span &written : std::as_const(spans)) {
            const SpanList back = store.loadSpans(written.traceId, true);
            const auto it = std::find_if(back.cbegin(), back.cend(), [&](const Span &b) { return b.spanId == written.spanId; });
            QVERIFY(it != back.cend());
            QCOMPARE(it->name, written.name);
            QCOMPARE(it->serviceName, written.serviceName);
            QCOMPARE(it->input.value, written.input.value);
        }
    }

    void roundTripsEverySpanField()
    {
        Span s;
        s.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        s.spanId = "00f067aa0ba902b7";
        s.parentSpanId = "53995c3f42cd8ad8";
        s.name = "ChatOpenAI ✓";
        s.kind = SpanKind::Llm;
        s.otelKind = 3;
        s.serviceName = "support-bot";
        s.scopeName = "openinference.instrumentation.openai";
        s.scopeVersion = "0.1.9";
        s.startNs = 1'716'000'000'123'456'789LL;
        s.endNs = 1'716'000'002'987'654'321LL;
        s.status = StatusCode::Error;
        s.statusMessage = "rate limited";
        s.operation = "chat";
        s.requestModel = "gpt-4o";
        s.responseModel = "gpt-4o-2024-08-06";
        s.provider = "openai";
        s.parameters = {{"temperature", 0.7}, {"max_tokens", qint64(512)}, {"stream", false},
                        {"stop", QVariantList{"\n\n", "END"}}};
        s.input = {"{\"messages\": [{\"role\": \"user\", \"content\": \"Bonjour\"}]}", "application/json"};
        s.output = {"Salut ! Comment puis-je aider ?", "text/plain"};
        s.inputMessages = {{"system", "You are terse.", {}, {}, {}, {}},
                           {"user", "Bonjour", {}, {}, "alice", {}}};
        s.outputMessages = {{"assistant", "", {{"call_1", "lookup", "{\"q\":\"greeting\"}"}}, {}, {}, "tool_calls"},
                            {"tool", "found", {}, "call_1", "lookup", {}}};
        s.tokens = {120, 30, 150, 20, 5, 8};
        s.cost = {0.00123, 0.0003, 0.00093, CostSource::Reported};
        s.toolName = "lookup";
        s.agentName = "concierge";
        s.documents = {{"doc-1", "Greeting etiquette", 0.91, {{"source", "kb"}, {"page", qint64(4)}}},
                       {"doc-2", "No score here", std::nullopt, {}}};
        s.sessionId = "session-42";
        s.userId = "user-7";
        s.tags = {"prod", "fr"};
        s.metadata = {{"experiment", "A"}, {"nested", QVariantMap{{"depth", qint64(2)}}}};
        s.attributes = {{"llm.model_name", QString("gpt-4o")},
                        {"llm.is_streaming", true},
                        {"llm.token_count.prompt", qint64(120)},
                        {"llm.temperature", 0.7},
                        {"raw.bytes", QByteArray("\x01\x02\x03", 3)},
                        {"raw.text", QString("\x01\x02\x03")},
                        {"list", QVariantList{qint64(1), 2.5, "three", false, QVariantList{}}},
                        {"map", QVariantMap{{"a", QVariantList{QVariantMap{{"b", QByteArray("c")}}}}}},
                        {"input.value", s.input.value},
                        {"dup", "one"},
                        {"dup", "two"},
                        {"eval.score", 0.875},
                        {"empty", QString()}};
        s.resourceAttributes = {{"service.name", "support-bot"}, {"process.pid", qint64(4242)}};
        s.scopeAttributes = {{"scope.attr", "x"}};
        s.events = {{1'716'000'001'000'000'000LL, "exception",
                     {{"exception.type", "RateLimitError"}, {"exception.message", "slow down"}}},
                    {1'716'000'001'500'000'000LL, "retry", {}}};
        s.links = {{"0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", {{"link.kind", "follows"}}}};

        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans({s}));
        const SpanList full = store.loadSpans(s.traceId, true);
        QCOMPARE(full.size(), 1);
        QCOMPARE(full.first(), s);

        // Narrow: only what the tree and the waterfall need, with model() still right.
        const SpanList narrow = store.loadSpans(s.traceId, false);
        QCOMPARE(narrow.size(), 1);
        Span n = narrow.first();
        QCOMPARE(n.model(), s.model());
        QCOMPARE(n.tokens, s.tokens);
        QCOMPARE(n.cost, s.cost);
        QCOMPARE(n.statusMessage, s.statusMessage);
        QVERIFY(n.input.isEmpty());
        QVERIFY(n.attributes.isEmpty());
        QVERIFY(n.events.isEmpty());
        QVERIFY(store.loadSpanDetails(n));
        QCOMPARE(n, s);

        // loadTrace() is Trace(loadSpans()) without the sort by start.
        const Trace viaTrace = store.loadTrace(s.traceId, true);
        QCOMPARE(viaTrace.size(), 1);
        QCOMPARE(viaTrace.span(0), s);

        // After a reopen too.
        const QString path = store.path();
        store.close();
        TraceStore again;
        QVERIFY(again.open(path, TraceStore::OpenMode::ReadOnly));
        QCOMPARE(again.loadSpans(s.traceId, true), SpanList{s});
        Span missing = s;
        missing.spanId = "not-there";
        QVERIFY(!again.loadSpanDetails(missing));
        QVERIFY(again.lastError().contains("not-there"));
    }

    void oddValuesAreStored()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        Span nanCost = llmSpan("odd", "nan", "", -5000, -10, "m", 1, 1, 0);
        nanCost.cost.totalUsd = std::nan("");
        Span nul = makeSpan("odd", "nul", "nan", 0, 1);
        nul.name = QString::fromUtf16(u"a\0b", 3);
        nul.input.value = QString(1 << 20, QLatin1Char('x')) + QStringLiteral(" needle");
        Span blankIds = makeSpan("", "", "", 1, 2);
        blankIds.name = "no ids at all";
        QVERIFY2(store.writeSpans({nanCost, nul, blankIds}), qPrintable(store.lastError()));
        const SpanList odd = store.loadSpans("odd", true);
        QCOMPARE(odd.size(), 2);
        QCOMPARE(odd[0].cost.totalUsd, 0.0);  // NaN cannot be stored; the batch is not refused for it
        QCOMPARE(odd[0].startNs, -5000);
        if (pgMode()) {
            // PostgreSQL text cannot hold U+0000 (stored as U+FFFD); only the first 150,000
            // characters of an input are indexed.
            QCOMPARE(odd[1].name, QString::fromUtf16(u"a\uFFFDb", 3));
            QCOMPARE(odd[1].input, nul.input);
            QVERIFY(store.search("needle").isEmpty());
        } else {
            QCOMPARE(odd[1].name, nul.name);
            QCOMPARE(odd[1].input, nul.input);
            QCOMPARE(hitSpans(store.search("needle")), QStringList{"odd/nul"});
        }
        QCOMPARE(store.loadSpans("", false).size(), 1);
        QCOMPARE(store.traceSummary("")->name, QStringLiteral("no ids at all"));
    }

    void readerWhileWriterImports()
    {
        const QString path = freshPath();
        {
            TraceStore init;
            QVERIFY(init.open(path));
        }
        constexpr int batches = 40;
        constexpr int perBatch = 250;
        std::atomic<bool> done{false};
        QStringList writerErrors, readerErrors;
        int readerRounds = 0;
        qint64 lastSeen = 0;
        bool monotonic = true;

        QThread *writer = QThread::create([&] {
            TraceStore store;
            if (!store.open(path)) {
                writerErrors << store.lastError();
                done = true;
                return;
            }
            for (int b = 0; b < batches; ++b) {
                SpanList batch;
                for (int i = 0; i < perBatch; ++i) {
                    const int n = b * perBatch + i;
                    Span s = makeSpan(QStringLiteral("trace-%1").arg(n / 10), QStringLiteral("s%1").arg(n % 10),
                                      n % 10 ? "s0" : "", n, n + 5);
                    s.input.value = QStringLiteral("concurrent text %1").arg(n);
                    batch << s;
                }
                if (b == batches / 2)
                    store.beginBulk();
                if (!store.writeSpans(batch))
                    writerErrors << store.lastError();
            }
            if (!store.endBulk() || store.indexFullText() < 0)
                writerErrors << store.lastError();
            done = true;
        });
        QThread *reader = QThread::create([&] {
            TraceStore store;
            if (!store.open(path)) {
                readerErrors << store.lastError();
                return;
            }
            while (!done) {
                TraceQuery q;
                q.sort = TraceQuery::Sort::Duration;
                q.limit = 50;
                store.listTraces(q);
                if (!store.lastError().isEmpty())
                    readerErrors << store.lastError();
                const qint64 n = store.countTraces({});
                if (!store.lastError().isEmpty())
                    readerErrors << store.lastError();
                monotonic = monotonic && n >= lastSeen;
                lastSeen = n;
                store.search("concurrent", 10);
                if (!store.lastError().isEmpty())
                    readerErrors << store.lastError();
                store.counts();
                ++readerRounds;
            }
        });
        writer->start();
        reader->start();
        QVERIFY(writer->wait(120000));
        QVERIFY(reader->wait(120000));
        delete writer;
        delete reader;
        QVERIFY2(writerErrors.isEmpty(), qPrintable(writerErrors.join('\n')));
        QVERIFY2(readerErrors.isEmpty(), qPrintable(readerErrors.join('\n')));
        QVERIFY(readerRounds > 0);
        QVERIFY(monotonic);
        TraceStore store;
        QVERIFY(store.open(path));
        QCOMPARE(store.counts().spans, batches * perBatch);
        QCOMPARE(store.counts().traces, batches * perBatch / 10);
        QCOMPARE(store.search("concurrent", 0).size(), batches * perBatch);
    }

    void readOnlyWorkspace()
    {
        const QString path = freshPath();
        const SpanList fixture = listFixture();
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans(fixture));
        }
        TraceStore store;
        QVERIFY(store.open(path, TraceStore::OpenMode::ReadOnly));
        QVERIFY(store.isReadOnly());
        QCOMPARE(store.counts().traces, 8);
        QVERIFY(!store.writeSpans({makeSpan("new", "s", "", 1, 2)}));
        QVERIFY2(store.lastError().contains(QDir::toNativeSeparators(path)), qPrintable(store.lastError()));
        QVERIFY2(store.lastError().contains("read-only"), qPrintable(store.lastError()));
        QVERIFY(!store.beginBulk());
        QCOMPARE(store.indexFullText(), -1);
        QCOMPARE(store.counts().traces, 8);
        QCOMPARE(store.listTraces({}).size(), 8);
        QCOMPARE(store.search("capital").size(), 1);
        store.close();

        TraceStore missing;
        QVERIFY(!missing.open(freshPath(), TraceStore::OpenMode::ReadOnly));
        QVERIFY2(missing.lastError().contains(pgMode() ? "not a Spanscope store yet" : "does not exist"),
                 qPrintable(missing.lastError()));
    }

    void unwritableFile()
    {
        SQLITE_ONLY("file permissions");
        if (::geteuid() == 0)
            QSKIP("file permissions do not stop root; the read-only path is covered by readOnlyWorkspace()");
        const QString path = freshPath();
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans({makeSpan("a", "1", "", 1, 2)}));
        }
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup);
        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QVERIFY(store.isReadOnly());
        QVERIFY(!store.writeSpans({makeSpan("b", "1", "", 1, 2)}));
        QVERIFY(store.lastError().contains("read-only"));
        QCOMPARE(store.counts().spans, 1);
        store.close();
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void fullDiskLosesNothing()
    {
        SQLITE_ONLY("setMaximumSize() caps a file");
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        const SpanList fixture = listFixture();
        QVERIFY(store.writeSpans(fixture));
        const WorkspaceCounts before = store.counts();
        const QList<TraceSummary> listed = store.listTraces({});

        QVERIFY(store.setMaximumSize(QFileInfo(store.path()).size() + 64 * 1024));
        SpanList big;
        for (int i = 0; i < 400; ++i) {
            Span s = makeSpan(QStringLiteral("big-%1").arg(i / 20), QStringLiteral("s%1").arg(i), "", i, i + 1);
            s.input.value = QString(2000, QLatin1Char('a' + i % 26));
            big << s;
        }
        // Also a replacement of a stored span: the old copy must survive the failed batch.
        Span replaced = fixture[1];
        replaced.output.value = "should not be stored";
        big << replaced;
        QVERIFY(!store.writeSpans(big));
        QVERIFY2(store.lastError().contains("full"), qPrintable(store.lastError()));
        QVERIFY(store.lastError().contains(QDir::toNativeSeparators(store.path())));

        const WorkspaceCounts after = store.counts();
        QCOMPARE(after.traces, before.traces);
        QCOMPARE(after.spans, before.spans);
        QCOMPARE(after.pendingFullText, before.pendingFullText);
        QCOMPARE(store.loadSpans("t1", true), byStart(SpanList{fixture[0], fixture[1]}));
        QCOMPARE(ids(store.listTraces({})), ids(listed));
        QCOMPARE(store.search("should").size(), 0);
        QCOMPARE(store.search("capital").size(), 1);

        // With room again the same batch goes in.
        QVERIFY(store.setMaximumSize(0));
        QVERIFY2(store.writeSpans(big), qPrintable(store.lastError()));
        QCOMPARE(store.counts().spans, before.spans + 400);
        QCOMPARE(store.loadSpans("t1", true).last().output.value, QStringLiteral("should not be stored"));
    }

    void bulkModeDefersIndexes()
    {
        SQLITE_ONLY("a team store keeps its indexes in bulk mode");
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        RawDb raw(store.path());
        const QString indexQuery = "SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix%' ORDER BY name";
        const QStringList indexes = raw.column(indexQuery);
        QVERIFY(indexes.contains("ix_traces_start"));
        QVERIFY(indexes.contains("ix_trace_models_model"));
        QVERIFY(indexes.size() >= 8);

        QVERIFY(store.beginBulk());
        QVERIFY(store.isBulk());
        QVERIFY(raw.column(indexQuery).isEmpty());
        QVERIFY(store.writeSpans(listFixture()));
        TraceQuery q;
        q.model = "gpt-4o";
        QCOMPARE(store.countTraces(q), 2);  // still answers, just without the index
        QVERIFY(store.endBulk());
        QVERIFY(!store.isBulk());
        QCOMPARE(raw.column(indexQuery), indexes);

        // close() ends a bulk session that is still open.
        QVERIFY(store.beginBulk());
        store.close();
        QCOMPARE(raw.column(indexQuery), indexes);
    }

    void bulkCheckpointsInTheBackground()
    {
        SQLITE_ONLY("the write-ahead log");
        TraceStore store;
        const QString path = freshPath();
        QVERIFY(store.open(path));
        const qint64 before = QFileInfo(path).size();
        QVERIFY(store.beginBulk());
        // About 4 MB: well below the 16 MB at which the writer would checkpoint by itself.
        for (int b = 0; b < 10; ++b) {
            SpanList batch;
            for (int i = 0; i < 200; ++i) {
                Span s = makeSpan(QStringLiteral("t%1").arg(b), QStringLiteral("s%1").arg(i), "", i, i + 1);
                s.input.value = QString(2000, QLatin1Char('a' + (b + i) % 26));
                batch << s;
            }
            QVERIFY(store.writeSpans(batch));
        }
        // Only a checkpoint moves pages from the write-ahead log into the database file.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > before + 3'000'000, 10000);
        QVERIFY(store.endBulk());
        QCOMPARE(store.counts().spans, 2000);
    }

    void abandonedBulkIsRepairedOnOpen()
    {
        SQLITE_ONLY("a team store keeps its indexes in bulk mode");
        const QString path = freshPath();
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans(listFixture()));
        }
        // As if a process died in bulk mode: indexes gone, its pid still recorded.
        qint64 deadPid = 4'000'000;
        while (::kill(pid_t(deadPid), 0) == 0 || errno != ESRCH)
            ++deadPid;
        {
            RawDb raw(path);
            for (const QString &name : raw.column("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix%'"))
                QVERIFY(raw.exec("DROP INDEX " + name));
            QVERIFY(raw.exec(QStringLiteral("UPDATE meta SET bulk_pid = %1").arg(deadPid)));
        }
        TraceStore store;
        QVERIFY(store.open(path));
        RawDb raw(path);
        QVERIFY(raw.column("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix%'").size() >= 8);
        QCOMPARE(raw.value("SELECT bulk_pid FROM meta").toLongLong(), 0);

        // A live bulk session of another store in this process is left alone.
        TraceStore importer;
        QVERIFY(importer.open(path));
        QVERIFY(importer.beginBulk());
        TraceStore reader;
        QVERIFY(reader.open(path));
        QVERIFY(raw.column("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix%'").isEmpty());
        QVERIFY(importer.endBulk());
    }

    void pgStatsMatchAFile()
    {
        PG_ONLY();
        // The dashboard's and `stats`' aggregates (workspacestats.cpp, written for SQLite and
        // translated for PostgreSQL) give the same report on both backends.
        QRandomGenerator rng(42);
        const QStringList models{"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", ""};
        const QStringList users{"", "alice", "bob"};
        const QStringList services{"api", "worker"};
        SpanList spans;
        const qint64 day = 86'400'000'000'000LL;
        for (int t = 0; t < 60; ++t) {
            const QString trace = QStringLiteral("trace-%1").arg(t, 3, 10, QChar('0'));
            const qint64 t0 = 1'790'000'000'000'000'000LL + rng.bounded(10) * day + rng.bounded(86'400) * 1'000'000'000LL;
            const int n = 1 + rng.bounded(6);
            for (int i = 0; i < n; ++i) {
                const QString model = models[rng.bounded(int(models.size()))];
                const CostSource source = model.isEmpty() ? CostSource::None : CostSource(rng.bounded(3));
                Span s = llmSpan(trace, QStringLiteral("s%1").arg(i), i ? "s0" : "", t0 + i * 1000,
                                 rng.bounded(6) ? t0 + i * 1000 + rng.bounded(qint64(5'000'000'000)) : 0, model,
                                 model.isEmpty() ? -1 : rng.bounded(2000), model.isEmpty() ? -1 : rng.bounded(500),
                                 rng.bounded(1000) / 10000.0, source);
                if (model.isEmpty())
                    s.kind = SpanKind(rng.bounded(SpanKindCount));
                s.name = QStringLiteral("op-%1").arg(rng.bounded(7));
                s.status = StatusCode(rng.bounded(3));
                s.userId = users[rng.bounded(int(users.size()))];
                s.serviceName = services[rng.bounded(int(services.size()))];
                s.tokens.cachedInput = rng.bounded(3) ? -1 : rng.bounded(100);
                s.input.value = rng.bounded(2) ? "the weather in Paris" : "a quarterly report";
                spans << s;
            }
        }
        TraceStore pg, file;
        QVERIFY(pg.open(freshPath()));
        QVERIFY(file.open(m_tmp.filePath("stats-compare.sqlite")));
        QVERIFY(pg.writeSpans(spans));
        QVERIFY(file.writeSpans(spans));

        auto num = [](double v) { return QString::number(v, 'g', 9); };
        auto dist = [&](const Distribution &d) {
            QStringList bins;
            for (qint64 b : d.bins)
                bins << QString::number(b);
            return QStringList{QString::number(d.count), num(d.min), num(d.max), num(d.mean), num(d.p50), num(d.p90),
                               num(d.p99), num(d.binWidth), bins.join(','), QString::number(d.above)}
                .join(' ');
        };
        auto group = [&](const StatsGroup &g) {
            return QStringList{g.key, QString::number(g.count), QString::number(g.errors), QString::number(g.inputTokens),
                               QString::number(g.outputTokens), QString::number(g.cachedTokens), num(g.costUsd),
                               num(g.computedCostUsd), QString::number(g.pricedCount), QString::number(g.unpricedCount),
                               QString::number(g.endedCount), QString::number(g.totalDurationNs),
                               QString::number(g.maxDurationNs), dist(g.latency)}
                .join(' ');
        };
        auto flatten = [&](const StatsReport &r) {
            QStringList out{r.error};
            const StatsTotals &t = r.totals;
            out << QStringList{QString::number(t.traces), QString::number(t.errorTraces), QString::number(t.spans),
                               QString::number(t.errorSpans), QString::number(t.llmCalls), QString::number(t.inputTokens),
                               QString::number(t.outputTokens), QString::number(t.cachedTokens), num(t.costUsd),
                               num(t.computedCostUsd), QString::number(t.pricedSpans), QString::number(t.unpricedSpans),
                               t.unpricedModels.join(','), QString::number(t.firstStartNs), QString::number(t.lastStartNs)}
                       .join(' ');
            out << QString::number(r.bucketNs) + ' ' + QString::number(r.rangeStartNs) + ' ' + QString::number(r.rangeEndNs);
            for (const TimeBucket &b : r.buckets)
                out << QStringLiteral("bucket %1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                           .arg(b.startNs).arg(b.traces).arg(b.errorTraces).arg(b.spans).arg(b.llmCalls).arg(b.inputTokens)
                           .arg(b.outputTokens).arg(b.cachedTokens).arg(num(b.costUsd)).arg(b.pricedSpans).arg(b.unpricedSpans);
            for (const ModelBucket &b : r.modelBuckets)
                out << QStringLiteral("model %1 %2 %3 %4 %5 %6 %7 %8 %9")
                           .arg(b.startNs).arg(b.model).arg(b.spans).arg(num(b.costUsd)).arg(b.pricedSpans)
                           .arg(b.unpricedSpans).arg(b.inputTokens).arg(b.outputTokens).arg(b.cachedTokens);
            out << r.models.join(',') << dist(r.traceLatency) << dist(r.modelLatency) << dist(r.traceCost)
                << QString::number(r.tracesWithUnpricedSpans);
            for (const auto &[m, n] : r.latencyModels)
                out << m + ' ' + QString::number(n);
            for (const QList<StatsGroup> *l : {&r.topNamesByCost, &r.topNamesByLatency, &r.topModelsByCost,
                                               &r.topModelsByLatency, &r.topUsersByCost, &r.topUsersByLatency, &r.groups}) {
                out << QStringLiteral("--");
                for (const StatsGroup &g : *l)
                    out << group(g);
            }
            return out;
        };
        QList<StatsRequest> requests;
        for (StatsDimension by : {StatsDimension::None, StatsDimension::Model, StatsDimension::Name, StatsDimension::Kind,
                                  StatsDimension::User, StatsDimension::Service}) {
            StatsRequest r;
            r.groupBy = by;
            r.latencyModel = "gpt-4o";
            requests << r;
        }
        StatsRequest filtered;
        filtered.filter.search = "weather";
        filtered.filter.model = "GPT-4O";
        filtered.latencyModel = "gpt-4o";
        filtered.groupBy = StatsDimension::User;
        requests << filtered;
        StatsRequest errors;
        errors.filter.status = TraceQuery::Status::Error;
        errors.bucketNs = WorkspaceStats::Hour;
        errors.utcOffsetSeconds = 3600;
        errors.latencyModel = "claude-3-5-sonnet";
        requests << errors;
        // Read-only, as `stats` and the window's reader open it (temp tables must still work).
        TraceStore reader;
        QVERIFY2(reader.open(pg.path(), TraceStore::OpenMode::ReadOnly), qPrintable(reader.lastError()));
        for (const StatsRequest &r : std::as_const(requests)) {
            const StatsReport fromPg = WorkspaceStats::compute(reader, r);
            QVERIFY2(fromPg.error.isEmpty(), qPrintable(fromPg.error));
            QVERIFY(fromPg.totals.traces > 0);
            QCOMPARE(flatten(fromPg), flatten(WorkspaceStats::compute(file, r)));
        }
        // Re-pricing on PostgreSQL keeps the aggregates equal as well.
        auto price = [](Span &s) { s.cost = {0.001 * std::max<qint64>(s.tokens.input, 0), 0, 0, CostSource::Computed}; };
        QCOMPARE(pg.recomputeCosts(price), file.recomputeCosts(price));
        QCOMPARE(flatten(WorkspaceStats::compute(pg, requests.first())), flatten(WorkspaceStats::compute(file, requests.first())));
    }

    void recomputesCostsInPlace()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        Span a = llmSpan("rc", "a", "", 1, 5, "gpt-4o", 100, 10, 0.5);
        a.input.value = "keep me";
        const Span b = llmSpan("rc", "b", "a", 2, 4, "mystery", 10, 1, 0, CostSource::None);
        const Span c = llmSpan("rc", "c", "a", 2, 3, "gpt-4o", 1, 1, 0.25, CostSource::Reported);
        QVERIFY(store.writeSpans({a, b, c}));
        QCOMPARE(store.traceSummary("rc")->unpricedModels, QStringList{"mystery"});
        int calls = 0;
        auto price = [&](Span &s) {
            ++calls;
            s.cost = {1.0, 0.25, 0.75, CostSource::Computed};
        };
        QCOMPARE(store.recomputeCosts(price), 2);  // the reported cost is never offered
        QCOMPARE(calls, 2);
        const SpanList loaded = store.loadSpans("rc", true);
        compareSummary(*store.traceSummary("rc"), summarize(loaded));
        QVERIFY(store.traceSummary("rc")->unpricedModels.isEmpty());
        QVERIFY(sameCost(store.traceSummary("rc")->costUsd, 2.25));
        for (const Span &s : loaded) {
            if (s.spanId == "a")
                QCOMPARE(s.input.value, QStringLiteral("keep me"));  // a cost update keeps the details
        }
        QCOMPARE(store.recomputeCosts(price), 0);
        // The writer's bookkeeping is clean afterwards.
        QVERIFY(store.writeSpans({makeSpan("rc", "d", "a", 3, 4)}));
        QCOMPARE(store.traceSummary("rc")->spanCount, 4);
        compareSummary(*store.traceSummary("rc"), summarize(store.loadSpans("rc", false)));
    }

    void resolvesTraceIdPrefixes()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans({makeSpan("abc123", "1", "", 1, 2), makeSpan("abc456", "1", "", 1, 2),
                                  makeSpan("abd", "1", "", 1, 2), makeSpan("abd0", "1", "", 1, 2)}));
        QCOMPARE(store.resolveTraceId("abc1"), QStringLiteral("abc123"));
        QCOMPARE(store.resolveTraceId("ABC4"), QStringLiteral("abc456"));
        QCOMPARE(store.resolveTraceId("abc"), QString());   // ambiguous
        QCOMPARE(store.resolveTraceId("abd"), QStringLiteral("abd"));  // exact match wins
        QCOMPARE(store.resolveTraceId("zzz"), QString());
        QCOMPARE(store.resolveTraceId(""), QString());
        QCOMPARE(store.resolveTraceId("%"), QString());
    }

    void distinctValuesForFilters()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        QVERIFY(store.writeSpans(listFixture()));
        QCOMPARE(store.distinctValues("model"),
                 (QStringList{"claude-3-5-sonnet", "GPT-4O", "gpt-4o", "gpt-4o-mini", "mistral-large"}));
        QCOMPARE(store.distinctValues("service"), (QStringList{"svc-a", "svc-b", "svc-c", "svc-d"}));
        QCOMPARE(store.distinctValues("session"), (QStringList{"s1", "s2"}));
        QCOMPARE(store.distinctValues("user"), (QStringList{"u1", "u2", "u3"}));
        QVERIFY(store.distinctValues("colour").isEmpty());
        QVERIFY(store.lastError().contains("colour"));
    }

    void defaultPathIsInAppData()
    {
        SQLITE_ONLY("the default workspace is a file");
        // A home of our own: the folder gets created, and not in the real home.
        qputenv("HOME", QFile::encodeName(m_tmp.filePath("home")));
        QStandardPaths::setTestModeEnabled(true);
        const QString path = TraceStore::defaultPath();
        QVERIFY(path.endsWith("/workspace.sqlite"));
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(QFileInfo(QFileInfo(path).absolutePath()).isDir());
    }

    void loadsABigTraceWhole()
    {
        // Past the size from which loadSpans() reads a trace in two halves at once (20,000 spans,
        // SQLite): every span exactly once, as written, and in start order when asked. (Stored
        // order is key order in SQLite, insertion order in PostgreSQL: compared as a set.)
        const QString path = freshPath();
        TraceStore store;
        QVERIFY(store.open(path));
        const QString trace = "7a1c0ffee00000000000000000c0ffee";
        const int n = 20'480;
        SpanList written;
        written.reserve(n);
        auto idOf = [](int i) { return QString::number(quint32(quint32(i) * 2654435761u), 16).rightJustified(16, u'0'); };
        const QStringList names = {"agent", "plan", "search", "fetch", "llm.call", "tool.run", "answer"};
        for (int i = 0; i < n; ++i) {
            // Key (span id) order, start order and tree order all differ.
            const qint64 start = 1'000'000 + qint64(i * 7919 % n) * 10;
            Span s = i % 3 == 0 ? llmSpan(trace, idOf(i), i == 0 ? QString() : idOf(i / 4), start, start + 5 + i % 13,
                                          QStringLiteral("model-%1").arg(i % 4), i, 2 * i, 0.001 * i)
                                : makeSpan(trace, idOf(i), i == 0 ? QString() : idOf(i / 4), start, start + 5 + i % 13);
            s.name = names[i % names.size()];
            s.serviceName = QStringLiteral("svc-%1").arg(i % 3);
            written.push_back(s);
        }
        for (int i = 0; i < n; i += 4096)
            QVERIFY2(store.writeSpans(written.mid(i, 4096)), qPrintable(store.lastError()));
        auto same = [](const SpanList &got, const SpanList &want) -> QString {
            if (got.size() != want.size())
                return QStringLiteral("%1 spans, want %2").arg(got.size()).arg(want.size());
            for (qsizetype i = 0; i < got.size(); ++i) {
                const Span &a = got[i], &b = want[i];
                if (a.spanId != b.spanId || a.parentSpanId != b.parentSpanId || a.name != b.name || a.serviceName != b.serviceName
                    || a.startNs != b.startNs || a.endNs != b.endNs || a.kind != b.kind || a.requestModel != b.requestModel
                    || a.tokens.input != b.tokens.input || a.traceId != b.traceId)
                    return QStringLiteral("span %1: %2, want %3").arg(i).arg(a.spanId, b.spanId);
            }
            return {};
        };
        auto bySpanId = [](const Span &a, const Span &b) { return a.spanId < b.spanId; };
        SpanList byKey = written;
        std::sort(byKey.begin(), byKey.end(), bySpanId);
        SpanList stored = store.loadSpans(trace, false, TraceStore::SpanOrder::AsStored);
        std::sort(stored.begin(), stored.end(), bySpanId);
        QString diff = same(stored, byKey);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        SpanList byStart = written;
        std::sort(byStart.begin(), byStart.end(), [](const Span &a, const Span &b) { return a.startNs < b.startNs; });
        diff = same(store.loadSpans(trace, false), byStart);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        const Trace t = store.loadTrace(trace, false);
        QCOMPARE(t.size(), n);
        QCOMPARE(t.roots().size(), 1);
    }

    void closedStoreFailsCleanly()
    {
        TraceStore store;
        QVERIFY(!store.isOpen());
        QVERIFY(!store.writeSpans({makeSpan("a", "1", "", 1, 2)}));
        QVERIFY(!store.lastError().isEmpty());
        QVERIFY(store.listTraces({}).isEmpty());
        QCOMPARE(store.indexFullText(), -1);
        QCOMPARE(store.schemaVersion(), 0);
        store.close();
        QVERIFY(!store.open(QString()));
    }

    void separateInstancesHaveSeparateConnections()
    {
        const QString path = freshPath();
        const QStringList before = QSqlDatabase::connectionNames();
        {
            TraceStore a, b;
            QVERIFY(a.open(path));
            QVERIFY(b.open(path));
            QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
            QVERIFY(a.writeSpans({makeSpan("a", "1", "", 1, 2)}));
            QCOMPARE(b.counts().spans, 1);
            // Reopening reuses nothing stale.
            QVERIFY(a.open(path));
            QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
        }
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "tst_tracestore.moc"
