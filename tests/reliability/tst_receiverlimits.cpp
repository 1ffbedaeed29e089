// The receiver against clients that misbehave, driven by raw QTcpSocket clients on loopback so
// every byte and every pause is ours: bodies dribbled past the deadline, a request that is slow but
// on time, idle keep-alive connections, the connection cap holding further clients in the
// backlog, a token when listening beyond loopback, declared and chunked bodies over the cap,
// header floods and garbage. (tests/live/tst_otlpreceiver covers the contract with curl.)
#include "live/liveservice.h"
#include "reliabilityhelpers.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QByteArray smallBody(const QString &seed, int spans = 2)
{
    QJsonArray list;
    for (int i = 0; i < spans; ++i)
        list.append(otlpSpan(hexId(seed, 16), i, 1795600000000000000LL));
    return otlpDocument(list);
}

QByteArray request(const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

// Reads until a whole response head arrived (or the peer closed / the time is up); the status, or
// 0 for none, -1 when the connection was closed without an answer.
int readStatus(QTcpSocket &s, int timeoutMs, QByteArray *all = nullptr)
{
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        got += s.readAll();
        if (got.contains("\r\n\r\n") && !got.startsWith("HTTP/1.1 100"))
            break;
        if (got.startsWith("HTTP/1.1 100") && got.indexOf("\r\n\r\n") + 4 < got.size())
            got = got.mid(got.indexOf("\r\n\r\n") + 4);
        if (s.state() != QAbstractSocket::ConnectedState && s.bytesAvailable() == 0)
            break;
        s.waitForReadyRead(20);
    }
    got += s.readAll();
    if (all)
        *all = got;
    if (got.startsWith("HTTP/1.1 ")) {
        // "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 …" when the answer follows the interim one.
        const qsizetype last = got.lastIndexOf("HTTP/1.1 ");
        return got.mid(last + 9, 3).toInt();
    }
    return s.state() == QAbstractSocket::ConnectedState ? 0 : -1;
}

bool connectRaw(QTcpSocket &s, quint16 port)
{
    s.connectToHost(QHostAddress::LocalHost, port);
    return s.waitForConnected(5000);
}

} // namespace

class TestReceiverLimits : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<LiveService> m_service;
    int m_case = 0;

    void start(LiveReceiverOptions options)
    {
        m_service.reset();
        m_service = std::make_unique<LiveService>(m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_case)));
        if (options.port == 4318)
            options.port = 0;
        QString error;
        QVERIFY2(m_service->startReceiver(options, &error), qPrintable(error));
    }
    quint16 port() const { return m_service->port(); }

    // A complete, valid request on a fresh connection answers 200.
    void stillServes(const QString &seed)
    {
        QTcpSocket s;
        QVERIFY(connectRaw(s, port()));
        s.write(request(smallBody(seed)));
        QCOMPARE(readStatus(s, 10000), 200);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanup() { m_service.reset(); }

    void loopbackByDefault()
    {
        const LiveReceiverOptions defaults;
        QVERIFY(defaults.bindAddress.isLoopback());
        QVERIFY(!defaults.allowNonLoopback);
        start({});
        QVERIFY(m_service->endpoint().startsWith(QStringLiteral("http://127.0.0.1:")));
        // Asking for any address without the explicit switch and a token is refused.
        for (const bool allow : {false, true}) {
            LiveReceiverOptions o;
            o.port = 0;
            o.bindAddress = QHostAddress::AnyIPv4;
            o.allowNonLoopback = allow;
            LiveService s(m_dir.filePath(QStringLiteral("exposed.sqlite")));
            QString error;
            QVERIFY(!s.startReceiver(o, &error));
            QVERIFY2(error.contains(allow ? QStringLiteral("token") : QStringLiteral("explicitly")), qPrintable(error));
        }
    }

    // Listening on every address: nothing goes in without the token, whatever else is right.
    void tokenRequiredWhenExposed()
    {
        LiveReceiverOptions o;
        o.bindAddress = QHostAddress::AnyIPv4;
        o.allowNonLoopback = true;
        o.bearerToken = QStringLiteral("t0ken-with-some-length");
        start(o);
        const QByteArray body = smallBody(QStringLiteral("token"));
        const QList<QByteArray> refused{
            {},
            "Authorization: Bearer wrong\r\n",
            "Authorization: Bearer t0ken-with-some-lengtH\r\n",
            "Authorization: Bearer t0ken-with-some-length-and-more\r\n",
            "Authorization: Basic dDBrZW4td2l0aC1zb21lLWxlbmd0aA==\r\n",
            "Authorization: t0ken-with-some-length\r\n",
            "X-Authorization: Bearer t0ken-with-some-length\r\n",
        };
        for (const QByteArray &header : refused) {
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            s.write(request(body, header));
            QByteArray answer;
            QCOMPARE(readStatus(s, 10000, &answer), 401);
            QVERIFY(answer.toLower().contains("www-authenticate: bearer"));
        }
        // In the query string it is not a credential either.
        {
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            QByteArray r = request(body);
            r.replace("POST /v1/traces ", "POST /v1/traces?access_token=t0ken-with-some-length ");
            s.write(r);
            QCOMPARE(readStatus(s, 10000), 401);
        }
        QTcpSocket s;
        QVERIFY(connectRaw(s, port()));
        s.write(request(body, "authorization: bearer   t0ken-with-some-length\r\n"));
        QCOMPARE(readStatus(s, 10000), 200);
        // The service's totals follow the writer's commits on a timer of the service's (test) thread.
        QTRY_COMPARE(m_service->currentTotals().totalSpans, 2);
    }

    // Headers complete, then the body a byte at a time: cut off at the request deadline.
    void slowBodyIsCutOff()
    {
        LiveReceiverOptions o;
        o.requestTimeoutMs = 600;
        o.idleTimeoutMs = 10000;
        start(o);
        const QByteArray body = smallBody(QStringLiteral("slow-body"));
        QTcpSocket s;
        QVERIFY(connectRaw(s, port()));
        const QByteArray r = request(body);
        const qsizetype headEnd = r.indexOf("\r\n\r\n") + 4;
        s.write(r.left(headEnd));
        QElapsedTimer t;
        t.start();
        qsizetype at = headEnd;
        while (t.elapsed() < 5000 && s.state() == QAbstractSocket::ConnectedState && at < r.size() - 1) {
            s.write(r.mid(at++, 1));
            s.waitForBytesWritten(50);
            s.waitForDisconnected(50);
        }
        QCOMPARE(s.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(!s.readAll().contains("200 OK"));
        QCOMPARE(m_service->currentTotals().totalSpans, 0);
        stillServes(QStringLiteral("after-slow-body"));
    }

    // Slow is not the same as late: a request dribbled in small pieces that completes within the
    // deadline is answered normally.
    void slowButOnTimeIsServed()
    {
        LiveReceiverOptions o;
        o.requestTimeoutMs = 5000;
        start(o);
        const QByteArray r = request(smallBody(QStringLiteral("on-time")));
        QTcpSocket s;
        QVERIFY(connectRaw(s, port()));
        for (qsizetype at = 0; at < r.size(); at += 16) {
            s.write(r.mid(at, 16));
            s.waitForBytesWritten(100);
            QTest::qWait(5);
        }
        QCOMPARE(readStatus(s, 10000), 200);
    }

    // A keep-alive connection with nothing more to say is closed after the idle timeout.
    void idleKeepAliveIsClosed()
    {
        LiveReceiverOptions o;
        o.idleTimeoutMs = 400;
        start(o);
        QTcpSocket s;
        QVERIFY(connectRaw(s, port()));
        s.write(request(smallBody(QStringLiteral("keep-alive"))));
        QCOMPARE(readStatus(s, 10000), 200);
        QElapsedTimer t;
        t.start();
        QVERIFY(s.state() == QAbstractSocket::UnconnectedState || s.waitForDisconnected(5000));
        QVERIFY(t.elapsed() < 3000);
    }

    // At most maxConnections are served at once; the next client waits in the listen backlog
    // (not refused) and is served as soon as one leaves.
    void connectionCapHoldsOthersBack()
    {
        LiveReceiverOptions o;
        o.maxConnections = 3;
        o.idleTimeoutMs = 20000;
        start(o);
        QList<QTcpSocket *> holders;
        for (int i = 0; i < 3; ++i) {
            auto *s = new QTcpSocket(this);
            QVERIFY(connectRaw(*s, port()));
            holders << s;
        }
        QVERIFY(QTest::qWaitFor([&] { return m_service->currentTotals().openConnections == 3; }, 5000));
        QTcpSocket waiting;
        QVERIFY(connectRaw(waiting, port()));   // the kernel completes the handshake (backlog)
        waiting.write(request(smallBody(QStringLiteral("waiting"))));
        QCOMPARE(readStatus(waiting, 800), 0);   // not served while three are open
        QCOMPARE(m_service->currentTotals().openConnections, 3);
        delete holders.takeFirst();   // one leaves (not deleteLater: readStatus runs no event loop)…
        QCOMPARE(readStatus(waiting, 10000), 200);   // …and the waiting client is served
        qDeleteAll(holders);
        holders.clear();

        // A crowd of 40 clients at once: all answered, never more than three connections open.
        QList<QTcpSocket *> crowd;
        for (int i = 0; i < 40; ++i) {
            auto *s = new QTcpSocket(this);
            s->connectToHost(QHostAddress::LocalHost, port());
            crowd << s;
        }
        for (int i = 0; i < crowd.size(); ++i) {
            QVERIFY(crowd[i]->waitForConnected(5000));
            crowd[i]->write(request(smallBody(QStringLiteral("crowd-%1").arg(i))) );
        }
        int answered = 0, maxOpen = 0;
        QElapsedTimer t;
        t.start();
        QList<bool> done(crowd.size(), false);
        while (answered < crowd.size() && t.elapsed() < 30000) {
            for (int i = 0; i < crowd.size(); ++i) {
                if (done[i])
                    continue;
                crowd[i]->waitForReadyRead(5);
                if (crowd[i]->peek(12).startsWith("HTTP/1.1 200")) {
                    done[i] = true;
                    ++answered;
                    crowd[i]->disconnectFromHost();   // leave, so the next one gets in
                }
            }
            maxOpen = std::max(maxOpen, m_service->currentTotals().openConnections);
        }
        qDeleteAll(crowd);
        QCOMPARE(answered, 40);
        QVERIFY2(maxOpen <= 3, qPrintable(QString::number(maxOpen)));
    }

    // A body declared larger than the cap is refused before it is sent (and never with
    // "100 Continue"); a chunked body is counted as it streams in.
    void oversizeBodiesAreRefusedEarly()
    {
        LiveReceiverOptions o;
        o.maxBodyBytes = 1 << 20;
        start(o);
        for (const QByteArray &expect : {QByteArray("Expect: 100-continue\r\n"), QByteArray()}) {
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            s.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 10737418240\r\n" + expect + "\r\n");
            QElapsedTimer t;
            t.start();
            QByteArray answer;
            QCOMPARE(readStatus(s, 5000, &answer), 413);
            QVERIFY2(!answer.startsWith("HTTP/1.1 100"), answer.constData());
            QVERIFY(t.elapsed() < 2000);
        }
        // Chunked: 8 MB in 64 KB chunks against a 1 MB cap.
        {
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            s.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
            const QByteArray chunk = QByteArray::number(64 * 1024, 16) + "\r\n" + QByteArray(64 * 1024, ' ') + "\r\n";
            int status = 0;
            for (int i = 0; i < 128 && s.state() == QAbstractSocket::ConnectedState && status == 0; ++i) {
                s.write(chunk);
                s.waitForBytesWritten(1000);
                if (s.bytesAvailable() || s.waitForReadyRead(1))
                    status = readStatus(s, 50);
            }
            if (status == 0)
                status = readStatus(s, 5000);
            QCOMPARE(status, 413);
        }
        // A chunked body under the cap is a normal request.
        {
            const QByteArray body = smallBody(QStringLiteral("chunked"));
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            s.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"
                    + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n");
            QCOMPARE(readStatus(s, 10000), 200);
        }
        stillServes(QStringLiteral("after-oversize"));
    }

    // Requests buffered on many connections at once stay within the in-flight budget: a client
    // that would take the total over it is answered 503 instead of being buffered.
    void bufferedBytesAreBoundedAcrossConnections()
    {
        LiveReceiverOptions o;
        o.maxBodyBytes = 1 << 20;
        o.maxInflightBytes = 2 << 20;
        o.requestTimeoutMs = 20000;
        start(o);
        QList<QTcpSocket *> clients;
        QList<int> statuses;
        for (int i = 0; i < 5; ++i) {
            auto *s = new QTcpSocket(this);
            QVERIFY(connectRaw(*s, port()));
            // 900 KB of a 1000 KB body each, never finished.
            s->write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1024000\r\n\r\n");
            s->write(QByteArray(900 * 1024, ' '));
            s->waitForBytesWritten(2000);
            clients << s;
            QTest::qWait(50);
        }
        for (QTcpSocket *s : std::as_const(clients))
            statuses << readStatus(*s, 1000);
        qDeleteAll(clients);
        // Two fit in 2 MB; the others are turned away at once.
        QCOMPARE(statuses.count(0), 2);
        QCOMPARE(statuses.count(503), 3);
        stillServes(QStringLiteral("after-buffered"));
    }

    // Hostile bytes instead of HTTP: the connection is closed (or answered 4xx), nothing is
    // stored, and the next client is served.
    void garbageAndHeaderFloods()
    {
        LiveReceiverOptions o;
        o.requestTimeoutMs = 2000;
        start(o);
        QByteArray noise(64 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 2654435761u) >> 13);
        QByteArray flood = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < 20000; ++i)
            flood += "X-Flood-" + QByteArray::number(i) + ": " + QByteArray(40, 'f') + "\r\n";
        const QList<QByteArray> inputs{
            noise,
            "GET / HTTP/1.1\r\n\r\n",
            "POST /v1/traces HTTP/9.9\r\nContent-Length: -5\r\n\r\n",
            "POST /v1/traces HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\nhello",
            "POST /v1/traces HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n",
            QByteArray("POST /v1/traces\0 HTTP/1.1\r\n\r\n", 30),
            flood,
        };
        for (const QByteArray &bytes : inputs) {
            QTcpSocket s;
            QVERIFY(connectRaw(s, port()));
            s.write(bytes);
            s.waitForBytesWritten(2000);
            const int status = readStatus(s, 5000);
            QVERIFY2(status == -1 || status == 0 || (status >= 400 && status < 500),
                     qPrintable(QStringLiteral("%1 for %2").arg(status).arg(QString::fromLatin1(bytes.left(40).toPercentEncoding()))));
        }
        QCOMPARE(m_service->currentTotals().totalSpans, 0);
        stillServes(QStringLiteral("after-garbage"));
    }
};

QTEST_GUILESS_MAIN(TestReceiverLimits)
#include "tst_receiverlimits.moc"
