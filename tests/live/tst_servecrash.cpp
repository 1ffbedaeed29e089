// `spanscope serve` as a child process, killed with SIGKILL in the middle of a burst from several
// clients: after a restart on the same workspace every span that was acknowledged with 200 is
// there, and the database is intact. Also: SIGTERM/SIGINT flush and exit 0.
#include "livetesthelpers.h"

#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <csignal>

using namespace spanscope;
using namespace spanscope::test;

namespace {

struct Server {
    QProcess process;
    QString endpoint;
    QByteArray output;
};

bool startServer(Server &s, const QString &db)
{
    s.process.setProcessChannelMode(QProcess::SeparateChannels);
    s.process.start(QStringLiteral(SPANSCOPE_BINARY), {QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--port"),
                                                      QStringLiteral("0"), QStringLiteral("--interval"), QStringLiteral("1")});
    if (!s.process.waitForStarted(10000))
        return false;
    static const QRegularExpression re(QStringLiteral("traces at (http://127\\.0\\.0\\.1:\\d+)/v1/traces"));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 15000) {
        s.process.waitForReadyRead(200);
        s.output += s.process.readAllStandardOutput();
        const QRegularExpressionMatch m = re.match(QString::fromUtf8(s.output));
        if (m.hasMatch()) {
            s.endpoint = m.captured(1);
            return true;
        }
        if (s.process.state() != QProcess::Running)
            return false;
    }
    return false;
}

} // namespace

class TestServeCrash : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void killedMidBurstLosesNothingAcknowledged()
    {
        const QString db = m_dir.filePath(QStringLiteral("crash.sqlite"));
        Server server;
        QVERIFY2(startServer(server, db), QByteArray(server.output + server.process.readAllStandardError()).constData());
        const QUrl url(server.endpoint + QStringLiteral("/v1/traces"));

        constexpr int kClients = 4, kInFlight = 6, kSpans = 40;
        QList<QNetworkAccessManager *> clients;
        for (int i = 0; i < kClients; ++i)
            clients << new QNetworkAccessManager(this);
        QStringList acked;
        int sent = 0, failed = 0;
        bool killed = false;
        std::function<void(QNetworkAccessManager *)> sendOne = [&](QNetworkAccessManager *nam) {
            if (killed)
                return;
            const QString id = hexId(QStringLiteral("burst-%1").arg(sent++), 16);
            QNetworkRequest req(url);
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QByteArray body = otlpJson(id, kSpans, QStringLiteral("burst"));
            if (sent % 3 == 0) {
                body = gzip(body);
                req.setRawHeader("Content-Encoding", "gzip");
            }
            QNetworkReply *reply = nam->post(req, body);
            connect(reply, &QNetworkReply::finished, this, [&, reply, nam, id] {
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                    acked << id;
                else
                    ++failed;
                reply->deleteLater();
                sendOne(nam);
            });
        };
        for (QNetworkAccessManager *nam : std::as_const(clients)) {
            for (int i = 0; i < kInFlight; ++i)
                sendOne(nam);
        }
        // Let the burst run, then kill the server while requests are in flight.
        QVERIFY(QTest::qWaitFor([&] { return acked.size() >= 150; }, 30000));
        ::kill(pid_t(server.process.processId()), SIGKILL);
        killed = true;
        QVERIFY(server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitStatus(), QProcess::CrashExit);
        QTest::qWait(300);   // the in-flight requests fail now
        qInfo("sent %d requests, %lld acknowledged, %d failed when the server was killed", sent, qint64(acked.size()), failed);

        // Restart on the same workspace: it opens (recovering the WAL) and serves again.
        Server again;
        QVERIFY2(startServer(again, db), QByteArray(again.output + again.process.readAllStandardError()).constData());
        QNetworkAccessManager nam;
        const QString afterId = hexId(QStringLiteral("after-restart"), 16);
        const HttpResult r = httpPost(nam, QUrl(again.endpoint + QStringLiteral("/v1/traces")), otlpJson(afterId, 3), "application/json");
        QCOMPARE(r.status, 200);
        // SIGTERM: flush, exit 0.
        ::kill(pid_t(again.process.processId()), SIGTERM);
        QVERIFY(again.process.waitForFinished(15000));
        QCOMPARE(again.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(again.process.exitCode(), 0);
        QVERIFY(again.process.readAllStandardOutput().contains("stopped (SIGTERM)"));

        {
            TraceStore store;
            QVERIFY2(store.open(db, TraceStore::OpenMode::ReadOnly), qPrintable(store.lastError()));
            for (const QString &id : std::as_const(acked))
                QCOMPARE(store.loadSpans(id, false).size(), kSpans);
            QCOMPARE(store.loadSpans(afterId, false).size(), 3);
        }
        {
            QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("integrity"));
            sql.setDatabaseName(db);
            QVERIFY(sql.open());
            QSqlQuery q(sql);
            QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
            q.finish();
            sql.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("integrity"));
        qDeleteAll(clients);
    }

    void sigintFlushesAndExitsZero()
    {
        const QString db = m_dir.filePath(QStringLiteral("sigint.sqlite"));
        Server server;
        QVERIFY(startServer(server, db));
        QNetworkAccessManager nam;
        const QString id = hexId(QStringLiteral("sigint"), 16);
        QCOMPARE(httpPost(nam, QUrl(server.endpoint + QStringLiteral("/v1/traces")), otlpJson(id, 2), "application/json").status, 200);
        QTest::qWait(1200);   // one throughput line
        ::kill(pid_t(server.process.processId()), SIGINT);
        QVERIFY(server.process.waitForFinished(15000));
        QCOMPARE(server.process.exitCode(), 0);
        const QByteArray out = server.output + server.process.readAllStandardOutput();
        QVERIFY2(out.contains("spans stored"), out.constData());
        QVERIFY(out.contains("stopped (SIGINT)"));
        QCOMPARE(countSpans(db, id), 2);
    }

    void usageErrors()
    {
        QProcess p;
        p.start(QStringLiteral(SPANSCOPE_BINARY), {QStringLiteral("serve"), QStringLiteral("--bind"), QStringLiteral("0.0.0.0"),
                                                  QStringLiteral("--db"), m_dir.filePath(QStringLiteral("u.sqlite"))});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);   // beyond loopback without a token
        QVERIFY(p.readAllStandardError().contains("--token"));
        p.start(QStringLiteral(SPANSCOPE_BINARY), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("99999")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestServeCrash)
#include "tst_servecrash.moc"
