// The workspace survives what happens to real users: `spanscope import` and `spanscope serve`
// killed with SIGKILL mid-write, a damaged or foreign file, a full disk. After each: SQLite's
// integrity check passes, every trace row agrees with its spans, nothing acknowledged or committed
// before is lost, and a file Spanscope cannot use is reported clearly and never rewritten.
#include "reliabilityhelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <unistd.h>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

qint64 storedSpans(const QString &db)
{
    if (!QFileInfo::exists(db))
        return 0;
    RawConnection raw(db, true);
    return raw.ok() ? raw.value(QStringLiteral("SELECT count(*) FROM spans")).toLongLong() : 0;
}

// `spanscope serve` on port 0; returns the endpoint it prints.
QString startServe(QProcess &p, const QString &db, const QStringList &extra = {})
{
    p.start(QStringLiteral(SPANSCOPE_BINARY),
            QStringList{QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--port"), QStringLiteral("0")} + extra);
    static const QRegularExpression re(QStringLiteral("(http://127\\.0\\.0\\.1:\\d+)/v1/traces"));
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000 && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(200);
        out += p.readAllStandardOutput();
        const QRegularExpressionMatch m = re.match(QString::fromUtf8(out));
        if (m.hasMatch())
            return m.captured(1);
    }
    qWarning("serve did not start: %s %s", out.constData(), p.readAllStandardError().constData());
    return {};
}

bool canMountTmpfs()
{
    if (::geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty())
        return false;
    QProcess p;
    p.start(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                                        QStringLiteral("mount -t tmpfs -o size=1m tmpfs /mnt")});
    return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestStoreSafety : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_bigFile;
    qint64 m_bigSpans = 0;
    static constexpr int kTraces = 300;
    static constexpr int kSpansPerTrace = 120;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A real workspace with a few MB of spans (details included), closed.
    QString makeWorkspace(const QString &name)
    {
        const QString db = path(name);
        const QString input = path(name + QStringLiteral(".jsonl"));
        writeInterleavedJsonl(input, 40, 60);
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, input});
        if (r.exitCode != 0)
            qWarning("import failed: %s", r.err.constData());
        return db;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_bigFile = path(QStringLiteral("big.jsonl"));
        m_bigSpans = writeInterleavedJsonl(m_bigFile, kTraces, kSpansPerTrace);
        QCOMPARE(m_bigSpans, qint64(kTraces) * kSpansPerTrace);
    }

    // SIGKILL at three moments of one import (re-running it on the same workspace after each):
    // consistent every time, and the last, complete run holds every span once.
    void killDuringFileImport()
    {
        const QString db = path(QStringLiteral("import-kill.sqlite"));
        const QList<int> extraDelaysMs{0, 150, 400};
        int kills = 0;
        for (const int extra : extraDelaysMs) {
            QProcess p;
            p.start(QStringLiteral(SPANSCOPE_BINARY), {QStringLiteral("import"), QStringLiteral("--db"), db, m_bigFile});
            QVERIFY(p.waitForStarted(10000));
            const qint64 before = storedSpans(db);
            QElapsedTimer t;
            t.start();
            // Wait for the first commit of this run, then a little more.
            while (t.elapsed() < 60000 && p.state() == QProcess::Running && storedSpans(db) <= before)
                QTest::qWait(10);
            if (extra > 0)
                p.waitForFinished(extra);
            if (p.state() != QProcess::Running) {
                qInfo("the import finished before the kill (after %lld ms)", t.elapsed());
                break;
            }
            ::kill(pid_t(p.processId()), SIGKILL);
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);
            ++kills;
            QString problem;
            const qint64 spans = verifyConsistentWorkspace(db, &problem);
            QVERIFY2(spans >= 0, qPrintable(problem));
            qInfo("killed %d ms after the first commit: %lld of %lld spans stored, consistent", extra, spans, m_bigSpans);
        }
        QVERIFY2(kills > 0, "the import was never killed mid-way (too fast?)");
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, m_bigFile}, 300000);
        QVERIFY2(r.exitCode == 0 && !r.crashed, r.err.constData());
        QString problem;
        QCOMPARE(verifyConsistentWorkspace(db, &problem), m_bigSpans);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // SIGKILL while several clients post spans of the same traces (so trace rows are updated by
    // many commits): every acknowledged span is there and every trace row adds up.
    void killDuringLiveIngest()
    {
        const QString db = path(QStringLiteral("live-kill.sqlite"));
        QProcess server;
        const QString endpoint = startServe(server, db);
        QVERIFY(!endpoint.isEmpty());
        const QUrl url(endpoint + QStringLiteral("/v1/traces"));
        constexpr int kLiveTraces = 40, kPerRequest = 30;
        QList<QNetworkAccessManager *> clients;
        for (int i = 0; i < 3; ++i)
            clients << new QNetworkAccessManager(this);
        QSet<QString> acked;   // "trace/span"
        int sent = 0;
        bool killed = false;
        std::function<void(QNetworkAccessManager *)> sendOne = [&](QNetworkAccessManager *nam) {
            if (killed)
                return;
            const int r = sent++;
            QJsonArray spans;
            QStringList keys;
            for (int k = 0; k < kPerRequest; ++k) {
                const QString trace = hexId(QStringLiteral("live-%1").arg((r * 7 + k) % kLiveTraces), 16);
                const QJsonObject s = otlpSpan(trace, r * kPerRequest + k, 1795600000000000000LL);
                spans.append(s);
                keys << trace + QLatin1Char('/') + s.value(QStringLiteral("spanId")).toString();
            }
            QNetworkRequest req(url);
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply *reply = nam->post(req, otlpDocument(spans, QStringLiteral("live")));
            connect(reply, &QNetworkReply::finished, this, [&, reply, nam, keys] {
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
                    for (const QString &k : keys)
                        acked.insert(k);
                }
                reply->deleteLater();
                sendOne(nam);
            });
        };
        for (QNetworkAccessManager *nam : std::as_const(clients)) {
            for (int i = 0; i < 3; ++i)
                sendOne(nam);
        }
        QVERIFY(QTest::qWaitFor([&] { return acked.size() >= 60 * kPerRequest; }, 60000));
        ::kill(pid_t(server.processId()), SIGKILL);
        killed = true;
        QVERIFY(server.waitForFinished(10000));
        QTest::qWait(200);
        qDeleteAll(clients);

        QString problem;
        const qint64 spans = verifyConsistentWorkspace(db, &problem);
        QVERIFY2(spans >= 0, qPrintable(problem));
        QVERIFY(spans >= acked.size());
        TraceStore store;
        QVERIFY(store.open(db, TraceStore::OpenMode::ReadOnly));
        QSet<QString> stored;
        for (int t = 0; t < kLiveTraces; ++t) {
            const QString trace = hexId(QStringLiteral("live-%1").arg(t), 16);
            for (const Span &s : store.loadSpans(trace, false))
                stored.insert(trace + QLatin1Char('/') + s.spanId);
        }
        for (const QString &k : std::as_const(acked))
            QVERIFY2(stored.contains(k), qPrintable(QStringLiteral("acknowledged span %1 is missing").arg(k)));
        qInfo("%d requests sent, %lld spans acknowledged, %lld stored, consistent", sent, qint64(acked.size()), spans);
    }

    // Random bytes over the middle of a real workspace, over its schema page, or the file cut in
    // half: every command ends with a clear error or a correct answer (never a crash), and a
    // command that fails leaves the file as it was.
    void damagedWorkspace_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addRow("random bytes in the middle") << "middle";
        QTest::addRow("random bytes over the schema page") << "schema";
        QTest::addRow("cut in half") << "truncated";
        QTest::addRow("header wiped") << "header";
    }
    void damagedWorkspace()
    {
        QFETCH(QString, damage);
        const QString db = makeWorkspace(QStringLiteral("damaged-%1.sqlite").arg(damage));
        QVERIFY(QFileInfo(db).size() > 256 * 1024);
        QVERIFY(!QFileInfo::exists(db + QStringLiteral("-wal")) || QFileInfo(db + QStringLiteral("-wal")).size() == 0);
        {
            QFile f(db);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            QRandomGenerator rng(42);
            const auto noise = [&rng](int n) {
                QByteArray b(n, Qt::Uninitialized);
                for (char &c : b)
                    c = char(rng.bounded(256));
                return b;
            };
            if (damage == QLatin1String("middle")) {
                f.seek(size / 2);
                f.write(noise(64 * 1024));
            } else if (damage == QLatin1String("schema")) {
                f.seek(100);
                f.write(noise(4000));
            } else if (damage == QLatin1String("truncated")) {
                f.resize(size / 2);
            } else {
                f.seek(0);
                f.write(noise(100));
            }
        }
        const QByteArray damaged = fileBytes(db);
        const QString fixture = QStringLiteral(SPANSCOPE_TEST_DATA "/samples/otlp-trace.json");
        const QList<QStringList> commands{
            {QStringLiteral("traces"), QStringLiteral("--db"), db, QStringLiteral("--limit"), QStringLiteral("0")},
            {QStringLiteral("traces"), QStringLiteral("--db"), db, QStringLiteral("--search"), QStringLiteral("step")},
            {QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--json"), hexId(QStringLiteral("trace-3"), 16)},
            {QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--all"), QStringLiteral("-o"), path(QStringLiteral("out-%1.json").arg(damage))},
            {QStringLiteral("import"), QStringLiteral("--db"), db, fixture},
        };
        for (const QStringList &args : commands) {
            const CliResult r = runCli(args);
            const QString what = args.first() + QStringLiteral(" on a workspace with ") + damage + QStringLiteral(": ")
                + QString::fromUtf8(r.err.left(500));
            QVERIFY2(!r.crashed, qPrintable(what));
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(what));
            if (r.exitCode == 1) {
                QVERIFY2(r.err.contains(QDir::toNativeSeparators(db).toUtf8()) || r.err.contains(QFileInfo(db).fileName().toUtf8()),
                         qPrintable(what));
                QVERIFY2(!r.err.contains("internal error") && !r.err.contains("unknown error"), qPrintable(what));
                QCOMPARE(fileBytes(db), damaged);   // what failed wrote nothing
            }
        }
        if (damage != QLatin1String("middle"))
            QCOMPARE(fileBytes(db), damaged);   // unreadable: nothing could have been written
    }

    // A file that is not a workspace is refused by name and left exactly as it was.
    void foreignFileIsNeverTouched()
    {
        const QString notes = path(QStringLiteral("notes.txt"));
        {
            QFile f(notes);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("my notes\nnot a database\n");
        }
        const QByteArray before = fileBytes(notes);
        for (const QString &cmd : {QStringLiteral("import"), QStringLiteral("traces"), QStringLiteral("serve")}) {
            QStringList args{cmd, QStringLiteral("--db"), notes};
            if (cmd == QLatin1String("import"))
                args << QStringLiteral(SPANSCOPE_TEST_DATA "/samples/otlp-trace.json");
            if (cmd == QLatin1String("serve"))
                args << QStringLiteral("--port") << QStringLiteral("0");
            const CliResult r = runCli(args, 30000);
            QVERIFY2(!r.crashed && r.exitCode == 1, qPrintable(cmd + QString::fromUtf8(r.err)));
            QVERIFY2(r.err.contains("not a Spanscope workspace"), r.err.constData());
            QVERIFY(r.err.contains(notes.toUtf8()));
        }
        QCOMPARE(fileBytes(notes), before);
        QVERIFY(!QFileInfo::exists(notes + QStringLiteral("-wal")));
        QVERIFY(!QFileInfo::exists(notes + QStringLiteral("-shm")));
    }

    // A real full disk (a small tmpfs in a private mount namespace, root only): the import fails
    // with a clear error, what was stored before and what was committed before the disk filled
    // stays, consistent; then the live receiver on the same full disk answers 503 and loses
    // nothing it acknowledged.
    void fullDisk()
    {
        if (!canMountTmpfs())
            QSKIP("needs root and mount namespaces (unshare -m) for a small tmpfs");
        const QString seed = makeWorkspace(QStringLiteral("full-seed.sqlite"));
        const qint64 seedSpans = storedSpans(seed);
        QVERIFY(seedSpans > 0);
        const QString mnt = path(QStringLiteral("mnt"));
        const QString out = path(QStringLiteral("full-out"));
        QVERIFY(QDir().mkpath(mnt));
        QVERIFY(QDir().mkpath(out));
        // Room for the workspace and a little more: the big import cannot fit.
        const qint64 room = QFileInfo(seed).size() + 3 * 1024 * 1024;
        const QString script = QStringLiteral(
            "set -u\n"
            "mount -t tmpfs -o size=%1 tmpfs \"$MNT\" || exit 97\n"
            "cp \"$SEED\" \"$MNT/ws.sqlite\" || exit 98\n"
            "\"$BIN\" import --db \"$MNT/ws.sqlite\" \"$BIG\" >\"$OUT/import.out\" 2>\"$OUT/import.err\"\n"
            "echo $? >\"$OUT/import.rc\"\n"
            "cp \"$MNT\"/ws.sqlite* \"$OUT/\"\n")
                                   .arg(room);
        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MNT"), mnt);
        env.insert(QStringLiteral("SEED"), seed);
        env.insert(QStringLiteral("OUT"), out);
        env.insert(QStringLiteral("BIG"), m_bigFile);
        env.insert(QStringLiteral("BIN"), QStringLiteral(SPANSCOPE_BINARY));
        sh.setProcessEnvironment(env);
        sh.start(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"), script});
        QVERIFY(sh.waitForFinished(300000));
        QCOMPARE(sh.exitCode(), 0);
        const QByteArray err = fileBytes(out + QStringLiteral("/import.err"));
        QCOMPARE(fileBytes(out + QStringLiteral("/import.rc")).trimmed(), QByteArray("1"));
        QVERIFY2(err.contains("disk is full"), err.constData());
        QVERIFY2(err.contains("ws.sqlite"), err.constData());
        const QString db = out + QStringLiteral("/ws.sqlite");
        QString problem;
        const qint64 spans = verifyConsistentWorkspace(db, &problem);
        QVERIFY2(spans >= 0, qPrintable(problem));
        QVERIFY2(spans >= seedSpans, qPrintable(QStringLiteral("%1 spans left of %2 stored before").arg(spans).arg(seedSpans)));
        QVERIFY(spans < seedSpans + m_bigSpans);
        TraceStore before;
        QVERIFY(before.open(seed, TraceStore::OpenMode::ReadOnly));
        TraceStore after;
        QVERIFY(after.open(db, TraceStore::OpenMode::ReadOnly));
        TraceQuery all;
        all.limit = 0;
        for (const TraceSummary &s : before.listTraces(all))
            QCOMPARE(after.loadSpans(s.traceId, true), before.loadSpans(s.traceId, true));
        qInfo("disk full after %lld of %lld spans; the %lld spans stored before are intact", spans - seedSpans, m_bigSpans, seedSpans);
    }

    void fullDiskLive()
    {
        if (!canMountTmpfs())
            QSKIP("needs root and mount namespaces (unshare -m) for a small tmpfs");
        const QString seed = makeWorkspace(QStringLiteral("live-full-seed.sqlite"));
        const qint64 seedSpans = storedSpans(seed);
        const QString mnt = path(QStringLiteral("live-mnt"));
        const QString out = path(QStringLiteral("live-full-out"));
        QVERIFY(QDir().mkpath(mnt));
        QVERIFY(QDir().mkpath(out));
        const qint64 room = QFileInfo(seed).size() + 2 * 1024 * 1024;
        // serve runs until the test writes a line to the script's standard input.
        const QString script = QStringLiteral(
            "set -u\n"
            "mount -t tmpfs -o size=%1 tmpfs \"$MNT\" || exit 97\n"
            "cp \"$SEED\" \"$MNT/ws.sqlite\" || exit 98\n"
            "\"$BIN\" serve --db \"$MNT/ws.sqlite\" --port 0 >\"$OUT/serve.out\" 2>\"$OUT/serve.err\" &\n"
            "pid=$!\n"
            "read -r line\n"
            "kill -TERM $pid\n"
            "wait $pid\n"
            "echo $? >\"$OUT/serve.rc\"\n"
            "cp \"$MNT\"/ws.sqlite* \"$OUT/\"\n")
                                   .arg(room);
        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MNT"), mnt);
        env.insert(QStringLiteral("SEED"), seed);
        env.insert(QStringLiteral("OUT"), out);
        env.insert(QStringLiteral("BIN"), QStringLiteral(SPANSCOPE_BINARY));
        sh.setProcessEnvironment(env);
        sh.start(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"), script});
        QVERIFY(sh.waitForStarted(10000));
        static const QRegularExpression re(QStringLiteral("(http://127\\.0\\.0\\.1:\\d+)/v1/traces"));
        QString endpoint;
        QVERIFY(QTest::qWaitFor([&] {
            endpoint = re.match(QString::fromUtf8(fileBytes(out + QStringLiteral("/serve.out")))).captured(1);
            return !endpoint.isEmpty() || sh.state() != QProcess::Running;
        }, 30000));
        QVERIFY2(!endpoint.isEmpty(), fileBytes(out + QStringLiteral("/serve.err")).constData());

        QNetworkAccessManager nam;
        QStringList acked;
        int refused = 0, other = 0;
        const QString pad(2000, QLatin1Char('p'));
        for (int r = 0; r < 3000 && refused < 3; ++r) {
            QJsonArray spans;
            const QString trace = hexId(QStringLiteral("full-live-%1").arg(r), 16);
            for (int k = 0; k < 20; ++k) {
                QJsonObject s = otlpSpan(trace, k, 1795600000000000000LL);
                s.insert(QStringLiteral("attributes"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("input.value")},
                                                                              {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), QString(pad + QString::number(r * 100 + k))}}}}});
                spans.append(s);
            }
            QNetworkRequest req(QUrl(endpoint + QStringLiteral("/v1/traces")));
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply *reply = nam.post(req, otlpDocument(spans));
            QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 20000));
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->readAll();
            delete reply;
            if (status == 200) {
                acked << trace;
            } else if (status == 503) {
                ++refused;
                QVERIFY2(body.contains("full"), body.constData());
            } else {
                ++other;
            }
        }
        sh.write("stop\n");
        sh.closeWriteChannel();
        QVERIFY(sh.waitForFinished(60000));
        QCOMPARE(sh.exitCode(), 0);
        QCOMPARE(other, 0);
        QVERIFY2(refused > 0, "the disk never filled up");
        QCOMPARE(fileBytes(out + QStringLiteral("/serve.rc")).trimmed(), QByteArray("0"));
        const QString db = out + QStringLiteral("/ws.sqlite");
        QString problem;
        const qint64 spans = verifyConsistentWorkspace(db, &problem);
        QVERIFY2(spans >= 0, qPrintable(problem));
        QCOMPARE(spans, seedSpans + 20 * acked.size());
        TraceStore store;
        QVERIFY(store.open(db, TraceStore::OpenMode::ReadOnly));
        for (const QString &trace : std::as_const(acked))
            QCOMPARE(store.loadSpans(trace, false).size(), 20);
        qInfo("%lld requests acknowledged before the disk filled up, %d refused with 503; all stored", qint64(acked.size()), refused);
    }
};

QTEST_GUILESS_MAIN(TestStoreSafety)
#include "tst_storesafety.moc"
