#include "otlpreceiver.h"

#include "formats/importer.h"
#include "ingest/importpipeline.h"
#include "portkeymapping.h"
#include "pricing/pricetable.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace spanscope {

namespace {

QString trGuard(const char *text)
{
    return QCoreApplication::translate("spanscope::OtlpReceiver", text);
}

// google.rpc.Code values used in Status bodies.
enum RpcCode { InvalidArgument = 3, ResourceExhausted = 8, Unimplemented = 12, Unavailable = 14, Unauthenticated = 16, NotFound = 5 };

constexpr qint64 kHeaderSlack = 1 << 20;  // room for headers on top of the body cap
constexpr int kLingerMs = 5000;

QByteArray statusProtobuf(int code, const QString &message)
{
    // google.rpc.Status { int32 code = 1; string message = 2; }
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        const QByteArray msg = message.toUtf8();
        coded.WriteTag(1 << 3 | 0);
        coded.WriteVarint32SignExtended(code);
        coded.WriteTag(2 << 3 | 2);
        coded.WriteVarint32(quint32(msg.size()));
        coded.WriteRaw(msg.constData(), int(msg.size()));
    }
    return QByteArray(out.data(), qsizetype(out.size()));
}

QByteArray statusJson(int code, const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact);
}

QByteArray headerValue(const QHttpServerRequest &request, const char *name)
{
    const QByteArray key(name);
    for (const auto &[k, v] : request.headers()) {
        if (k.compare(key, Qt::CaseInsensitive) == 0)
            return v.trimmed();
    }
    return {};
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

qint64 nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000000;
}

} // namespace

// Per-connection limits that Qt HttpServer 6.4 does not have: idle timeout, a deadline for a
// request to arrive completely, and a raw-size cap enforced while the body streams in (and up
// front for a declared Content-Length). Qt buffers every request whole before we see it, so the
// bytes of requests still arriving on all connections are counted together with the accepted
// bodies against maxInflightBytes: a client that would take the total over it is answered 503,
// so many slow clients cannot make the receiver buffer gigabytes. Lives as a child of its socket.
// Its readyRead slot is connected before Qt's, so bytesAvailable() there is exactly what Qt is
// about to consume.
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, const LiveReceiverOptions &options, LiveReceiverCounters *counters,
                    std::shared_ptr<std::atomic<qint64>> arriving, const std::atomic<qint64> *accepted)
        : QObject(socket)
        , m_socket(socket)
        , m_maxRaw(options.maxBodyBytes + kHeaderSlack)
        , m_maxBody(options.maxBodyBytes)
        , m_maxBuffered(options.maxInflightBytes)
        , m_retryAfter(options.retryAfterSeconds)
        , m_counters(counters)
        , m_arriving(std::move(arriving))
        , m_accepted(accepted)
    {
        setObjectName(QStringLiteral("spanscope-connection-guard"));
        m_idle.setSingleShot(true);
        m_idle.setInterval(options.idleTimeoutMs);
        m_deadline.setSingleShot(true);
        m_deadline.setInterval(options.requestTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            if (m_pending > 0)
                m_idle.start();
            else
                m_socket->disconnectFromHost();
        });
        connect(&m_deadline, &QTimer::timeout, this, [this] { m_socket->abort(); });
        connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
        connect(socket, &QIODevice::bytesWritten, this, [this] {
            m_idle.start();
            if (m_rejected && m_socket->bytesToWrite() == 0)
                halfClose();
        });
        m_idle.start();
    }
    ~ConnectionGuard() override { releaseArriving(); }

    bool isRejected() const { return m_rejected; }
    void requestArrived()
    {
        m_deadline.stop();
        m_bytesSinceRequest = 0;
        releaseArriving();   // from here on the body counts as accepted (or is answered)
        ++m_pending;
    }
    void replied()
    {
        if (m_pending > 0)
            --m_pending;
        m_idle.start();
    }

private:
    void onReadyRead()
    {
        if (m_rejected) {
            if (m_socket->isTransactionStarted())
                m_socket->commitTransaction();
            m_socket->readAll();  // drain what the client still sends until it reads our answer
            return;
        }
        const qint64 n = m_socket->bytesAvailable();
        m_counters->bytesReceived.fetch_add(n);
        // Acknowledge at once: a client that writes headers and body separately (Nagle) otherwise
        // waits for our delayed ACK, ~40 ms per request. Linux resets the flag, so set it each time.
        const int one = 1;
        ::setsockopt(int(m_socket->socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        if (m_bytesSinceRequest == 0 && n > 0) {
            m_deadline.start();
            m_head.clear();
            m_headDone = false;
        }
        if (!m_headDone && checkHead(n))
            return;   // refused from its head alone
        m_bytesSinceRequest += n;
        m_arriving->fetch_add(n);
        m_counted += n;
        m_idle.start();
        if (m_bytesSinceRequest > m_maxRaw)
            rejectTooLarge();
        else if (m_arriving->load() + m_accepted->load() > m_maxBuffered)
            reject(503, QByteArrayLiteral("Service Unavailable"), Unavailable,
                   trGuard("too much request data in flight; retry later"),
                   QByteArrayLiteral("Retry-After: ") + QByteArray::number(m_retryAfter) + QByteArrayLiteral("\r\n"));
    }

    void releaseArriving()
    {
        m_arriving->fetch_sub(m_counted);
        m_counted = 0;
    }

    void rejectTooLarge()
    {
        reject(413, QByteArrayLiteral("Payload Too Large"), ResourceExhausted, trGuard("request body larger than %1 bytes").arg(m_maxBody));
    }

    void reject(int status, const QByteArray &reason, int rpcCode, const QString &message, const QByteArray &extraHeaders = {})
    {
        // Qt would buffer the whole body before calling us: answer now, stop parsing, drain the
        // rest, and close our side once the answer is out (a lingering close, so the client sees
        // the answer rather than a reset).
        m_rejected = true;
        m_deadline.stop();
        releaseArriving();
        if (status == 503)
            m_counters->overloaded.fetch_add(1);
        else
            m_counters->badRequests.fetch_add(1);
        QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction();
        m_socket->readAll();
        const QByteArray body = statusJson(rpcCode, message);
        m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                        + "\r\nContent-Type: application/json\r\nConnection: close\r\n" + extraHeaders
                        + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QTimer::singleShot(kLingerMs, m_socket, [s = m_socket] { s->abort(); });
    }

    // Looks at the request head as it arrives (not parsing it: Qt does that). Qt HttpServer 6.4
    // never answers "Expect: 100-continue", so such clients (curl sends it for bodies over 1 MiB)
    // would wait a second before sending the body: say "go ahead" at once. A declared
    // Content-Length over the cap is refused at once instead (before the client sends the body).
    // True when the request was refused.
    bool checkHead(qint64 available)
    {
        constexpr qsizetype kMaxHead = 16 * 1024;
        m_head += m_socket->peek(std::min<qint64>(available, kMaxHead - m_head.size()));
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0 && m_head.size() < kMaxHead)
            return false;
        m_headDone = true;
        const QByteArray head = m_head.left(end < 0 ? m_head.size() : end).toLower();
        m_head.clear();
        const qsizetype length = head.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            const qsizetype from = length + 17;
            const qsizetype to = head.indexOf('\r', from);
            bool ok = false;
            const qint64 declared = head.mid(from, to < 0 ? -1 : to - from).trimmed().toLongLong(&ok);
            if (ok && declared > m_maxBody) {
                rejectTooLarge();
                return true;
            }
        }
        if (head.contains("\r\nexpect: 100-continue") || head.contains("\r\nexpect:100-continue"))
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return false;
    }

    void halfClose()
    {
        if (m_halfClosed)
            return;
        m_halfClosed = true;
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }

    QTcpSocket *m_socket;
    qint64 m_maxRaw;
    qint64 m_maxBody;
    qint64 m_maxBuffered;
    int m_retryAfter;
    LiveReceiverCounters *m_counters;
    std::shared_ptr<std::atomic<qint64>> m_arriving;   // shared by all connections of the receiver
    const std::atomic<qint64> *m_accepted;             // the receiver's accepted, unanswered bodies
    qint64 m_counted = 0;    // this connection's share of *m_arriving
    QTimer m_idle;
    QTimer m_deadline;
    qint64 m_bytesSinceRequest = 0;
    int m_pending = 0;
    bool m_rejected = false;
    bool m_halfClosed = false;
    QByteArray m_head;       // the start of the current request, until its header block ends
    bool m_headDone = false;
};

namespace {
ConnectionGuard *guardOf(QTcpSocket *socket)
{
    // No Q_OBJECT (and so no qobject_cast) for this private helper: find it by name.
    return socket ? dynamic_cast<ConnectionGuard *>(socket->findChild<QObject *>(QStringLiteral("spanscope-connection-guard"),
                                                                                 Qt::FindDirectChildrenOnly))
                  : nullptr;
}
} // namespace

// Bounds concurrent connections by pausing accept(): further clients wait in the kernel's listen
// backlog instead of each costing a socket, buffers and a parser here.
//
// pauseAccepting() alone does not hold in Qt 6.4: QTcpServer's accept loop (readNotification)
// keeps calling accept() until the backlog is empty, and nextPendingConnection() — which the HTTP
// server calls for every new socket — turns accept notifications back on. So at the cap the
// pending-connection limit drops to 0 (which ends the accept loop before its next accept()) and
// nextPendingConnection() pauses again after the base class re-enabled notifications.
class LimitedTcpServer : public QTcpServer
{
public:
    LimitedTcpServer(const LiveReceiverOptions &options, LiveReceiverCounters *counters,
                     std::shared_ptr<std::atomic<qint64>> arriving, const std::atomic<qint64> *accepted, QObject *parent)
        : QTcpServer(parent)
        , m_options(options)
        , m_counters(counters)
        , m_arriving(std::move(arriving))
        , m_accepted(accepted)
        , m_maxPending(maxPendingConnections())
    {
    }
    int openConnections() const { return m_open.load(); }

    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = QTcpServer::nextPendingConnection();   // re-enables accept notifications
        if (atCap())
            pauseAccepting();
        return socket;
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        ++m_open;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);   // answers are small: no Nagle delay
        new ConnectionGuard(socket, m_options, m_counters, m_arriving, m_accepted);
        connect(socket, &QObject::destroyed, this, [this] {
            --m_open;
            if (!atCap() && m_paused) {
                m_paused = false;
                setMaxPendingConnections(m_maxPending);
                if (isListening())
                    resumeAccepting();
            }
        });
        if (atCap()) {
            m_paused = true;
            setMaxPendingConnections(0);   // the accept loop stops before accepting another
            pauseAccepting();
        }
        addPendingConnection(socket);
    }

private:
    bool atCap() const { return m_open.load() >= std::max(1, m_options.maxConnections); }

    const LiveReceiverOptions &m_options;
    LiveReceiverCounters *m_counters;
    std::shared_ptr<std::atomic<qint64>> m_arriving;
    const std::atomic<qint64> *m_accepted;
    const int m_maxPending;
    std::atomic<int> m_open{0};   // read from other threads (status)
    bool m_paused = false;
};

class OtlpHttpServer : public QAbstractHttpServer
{
public:
    OtlpHttpServer(OtlpReceiver *receiver)
        : QAbstractHttpServer(receiver)
        , m_receiver(receiver)
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        m_receiver->handleRequest(request, makeResponder(request, socket));
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    OtlpReceiver *m_receiver;
};

struct OtlpReceiver::Reply {
    Reply(QHttpServerResponder &&r, QTcpSocket *s)
        : responder(std::move(r))
        , socket(s)
    {
    }
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
    bool json = true;
    bool done = false;
    bool counted = false;   // holds a share of the in-flight budget
    qint64 bytes = 0;
    QString name;
};

OtlpReceiver::OtlpReceiver(LiveWriter *writer, LiveReceiverOptions options, QObject *parent)
    : QObject(parent)
    , m_life(std::make_shared<Life>())
    , m_arrivingBytes(std::make_shared<std::atomic<qint64>>(0))
    , m_writer(writer)
    , m_options(std::move(options))
{
    m_pool = new QThreadPool(this);
    m_pool->setMaxThreadCount(std::max(1, m_options.decodeThreads));
    m_pool->setObjectName(QStringLiteral("OtlpDecode"));
    m_life->receiver = this;
}

OtlpReceiver::~OtlpReceiver()
{
    stopListening();
    std::lock_guard lock(m_life->mutex);
    m_life->receiver = nullptr;
}

void OtlpReceiver::flushConnections(int waitMs)
{
    if (!m_tcp)
        return;
    QElapsedTimer t;
    t.start();
    for (QTcpSocket *s : m_tcp->findChildren<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (s->state() != QAbstractSocket::ConnectedState)
            continue;
        while (s->bytesToWrite() > 0 && t.elapsed() < waitMs && s->waitForBytesWritten(int(std::max<qint64>(1, waitMs - t.elapsed())))) {
        }
    }
}

bool OtlpReceiver::listen(QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_options.bindAddress.isLoopback()) {
        if (!m_options.allowNonLoopback)
            return fail(tr("Listening on %1 (beyond this machine) must be allowed explicitly; the default is 127.0.0.1.")
                            .arg(m_options.bindAddress.toString()));
        if (m_options.bearerToken.isEmpty())
            return fail(tr("Listening on %1 (beyond this machine) needs a bearer token.").arg(m_options.bindAddress.toString()));
    }
    m_prices = m_options.prices ? m_options.prices : PriceTable::builtin();
    if (!m_http)
        m_http = new OtlpHttpServer(this);
    auto *tcp = new LimitedTcpServer(m_options, &m_counters, m_arrivingBytes, &m_inflightBytes, nullptr);
    if (!tcp->listen(m_options.bindAddress, m_options.port)) {
        const QString reason = tcp->errorString();
        delete tcp;
        return fail(tr("Cannot listen on %1:%2: %3").arg(m_options.bindAddress.toString()).arg(m_options.port).arg(reason));
    }
    m_http->bind(tcp);   // reparents tcp to the HTTP server
    m_tcp = tcp;
    m_port = tcp->serverPort();
    return true;
}

void OtlpReceiver::stopListening()
{
    if (m_tcp)
        m_tcp->close();
    m_pool->waitForDone();
}

bool OtlpReceiver::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

int OtlpReceiver::openConnections() const
{
    return m_tcp ? m_tcp->openConnections() : 0;
}

QString OtlpReceiver::endpointUrl() const
{
    QString host = m_options.bindAddress.toString();
    if (m_options.bindAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
}

void OtlpReceiver::answer(const std::shared_ptr<Reply> &reply, int status, const QByteArray &body, const QByteArray &contentType,
                          const QByteArray &extraHeader, const QByteArray &extraValue)
{
    if (reply->done)
        return;
    reply->done = true;
    if (reply->counted) {
        m_inflightBytes.fetch_sub(reply->bytes);
        m_inflightRequests.fetch_sub(1);
        reply->counted = false;
    }
    if (!reply->socket || reply->socket->state() != QAbstractSocket::ConnectedState)
        return;   // the client went away; nothing to tell it
    if (ConnectionGuard *g = guardOf(reply->socket))
        g->replied();
    const auto code = static_cast<QHttpServerResponder::StatusCode>(status);
    if (extraHeader.isEmpty())
        reply->responder.write(body, {{QByteArrayLiteral("Content-Type"), contentType}}, code);
    else
        reply->responder.write(body, {{QByteArrayLiteral("Content-Type"), contentType}, {extraHeader, extraValue}}, code);
}

void OtlpReceiver::answerStatus(const std::shared_ptr<Reply> &reply, int httpStatus, int rpcCode, const QString &message,
                                const QByteArray &extraHeader, const QByteArray &extraValue)
{
    if (httpStatus == 429 || httpStatus == 503)
        m_counters.overloaded.fetch_add(1);
    else if (httpStatus >= 400)
        m_counters.badRequests.fetch_add(1);
    if (reply->json)
        answer(reply, httpStatus, statusJson(rpcCode, message), QByteArrayLiteral("application/json"), extraHeader, extraValue);
    else
        answer(reply, httpStatus, statusProtobuf(rpcCode, message), QByteArrayLiteral("application/x-protobuf"), extraHeader, extraValue);
}

void OtlpReceiver::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QTcpSocket *socket = responder.socket();
    ConnectionGuard *guard = guardOf(socket);
    if (guard && guard->isRejected())
        return;
    if (guard)
        guard->requestArrived();
    m_counters.requests.fetch_add(1);
    auto reply = std::make_shared<Reply>(std::move(responder), socket);
    reply->name = QStringLiteral("%1 from %2").arg(request.url().path(), request.remoteAddress().toString());

    const QString path = request.url().path();
    const bool traces = path == QLatin1String("/v1/traces") || path == QLatin1String("/v1/traces/");
    const bool hook = path == QLatin1String("/v1/portkey/log");
    const QByteArray contentType = headerValue(request, "content-type").split(';').first().trimmed().toLower();
    reply->json = contentType != "application/x-protobuf" && contentType != "application/protobuf";

    if (!traces && !hook)
        return answerStatus(reply, 404, NotFound, tr("no such endpoint: %1 (this receiver serves POST /v1/traces and /v1/portkey/log)").arg(path));
    if (request.method() != QHttpServerRequest::Method::Post)
        return answerStatus(reply, 405, Unimplemented, tr("method not allowed; use POST"), QByteArrayLiteral("Allow"), QByteArrayLiteral("POST"));
    if (!m_options.bearerToken.isEmpty()) {
        const QByteArray auth = headerValue(request, "authorization");
        const QByteArray expected = QByteArrayLiteral("bearer ") + m_options.bearerToken.toUtf8();
        const QByteArray given = auth.left(7).toLower() + auth.mid(7).trimmed();
        if (!constantTimeEquals(given, expected))
            return answerStatus(reply, 401, Unauthenticated, tr("missing or wrong bearer token"), QByteArrayLiteral("WWW-Authenticate"),
                                QByteArrayLiteral("Bearer realm=\"spanscope\""));
    }
    const bool json = contentType == "application/json";
    if (!json && (hook || reply->json))
        return answerStatus(reply, 415, InvalidArgument,
                            hook ? tr("unsupported content type \"%1\"; use application/json").arg(QString::fromLatin1(contentType))
                                 : tr("unsupported content type \"%1\"; use application/json or application/x-protobuf")
                                       .arg(QString::fromLatin1(contentType)));
    const QByteArray encoding = headerValue(request, "content-encoding").toLower();
    if (!encoding.isEmpty() && encoding != "identity" && encoding != "gzip")
        return answerStatus(reply, 415, InvalidArgument, tr("unsupported content encoding \"%1\"; use gzip or none").arg(QString::fromLatin1(encoding)));

    QByteArray body = request.body();
    if (body.size() > m_options.maxBodyBytes)
        return answerStatus(reply, 413, ResourceExhausted, tr("request body larger than %1 bytes").arg(m_options.maxBodyBytes));
    const QByteArray retry = QByteArray::number(m_options.retryAfterSeconds);
    if (!m_writer || !m_writer->isRunning())
        return answerStatus(reply, 503, Unavailable, tr("the workspace is not open for writing"), QByteArrayLiteral("Retry-After"), retry);
    if (m_writer->pendingSpans() > m_options.maxPendingSpans)
        return answerStatus(reply, 503, Unavailable, tr("the workspace writer is behind; retry later"), QByteArrayLiteral("Retry-After"), retry);
    if (m_inflightRequests.load() >= m_options.maxInflightRequests
        || m_inflightBytes.load() + body.size() > m_options.maxInflightBytes)
        return answerStatus(reply, 429, ResourceExhausted, tr("too many requests in flight; retry later"), QByteArrayLiteral("Retry-After"), retry);

    reply->bytes = body.size();
    reply->counted = true;
    m_inflightBytes.fetch_add(reply->bytes);
    m_inflightRequests.fetch_add(1);
    m_pool->start([this, reply, body = std::move(body), hook]() mutable { decodeAndSubmit(reply, std::move(body), hook); });
}

void OtlpReceiver::decodeAndSubmit(std::shared_ptr<Reply> reply, QByteArray body, bool portkeyHook)
{
    // Runs on a pool thread: touches no QObject, hands results back by queued calls.
    const auto post = [this, reply](auto &&fn) { QMetaObject::invokeMethod(this, std::forward<decltype(fn)>(fn), Qt::QueuedConnection); };
    SpanList spans;
    qint64 rejected = 0;
    QString rejectMessage;
    if (portkeyHook) {
        QString error;
        spans = portkeyHookPostToSpans(body, nowNs(), &error);
        if (spans.isEmpty()) {
            post([this, reply, error] { answerStatus(reply, 400, InvalidArgument, error); });
            return;
        }
    } else {
        ImportOptions options;
        options.maxInputBytes = m_options.maxBodyBytes;
        options.batchSize = 1 << 20;
        const ImportResult result = importOtlpRequest(
            body, reply->json ? OtlpEncoding::Json : OtlpEncoding::Protobuf, reply->name,
            [&spans](SpanList &&batch) {
                if (spans.isEmpty())
                    spans = std::move(batch);
                else
                    spans.append(std::move(batch));
            },
            options);
        body.clear();
        if (result.tooLarge) {
            post([this, reply, max = m_options.maxBodyBytes] {
                answerStatus(reply, 413, ResourceExhausted, tr("request body larger than %1 bytes once decompressed").arg(max));
            });
            return;
        }
        // Errors that are exactly the dropped spans make a partial success; any other error
        // means the body did not parse (whatever was delivered before it is not stored).
        const bool onlyDroppedSpans = result.stats.skippedSpans > 0 && result.stats.errors <= result.stats.skippedSpans;
        if (result.stats.errors > 0 && !onlyDroppedSpans) {
            QString message;
            for (const ImportIssue &issue : result.issues) {
                if (issue.severity == ImportIssue::Severity::Error) {
                    message = issue.toString();
                    break;
                }
            }
            post([this, reply, message] { answerStatus(reply, 400, InvalidArgument, message); });
            return;
        }
        rejected = result.stats.skippedSpans;
        if (rejected > 0) {
            for (const ImportIssue &issue : result.issues) {
                if (!rejectMessage.isEmpty())
                    rejectMessage += QStringLiteral("; ");
                rejectMessage += issue.reason;
                if (rejectMessage.size() > 500)
                    break;
            }
            if (rejectMessage.isEmpty())
                rejectMessage = tr("%1 spans without valid ids were dropped").arg(rejected);
        }
    }
    // Secrets were already redacted by the importers (ImportOptions::keepSecrets is off).
    enrichSpans(spans, *m_prices);
    const qint64 n = spans.size();
    const bool queued = m_writer->submit(std::move(spans), [life = m_life, reply, n, rejected, rejectMessage](bool ok, const QString &error) {
        // Posting under the lock: the receiver cannot be deleted in between, and a posted event
        // for an object deleted later is discarded by Qt.
        std::lock_guard lock(life->mutex);
        if (OtlpReceiver *r = life->receiver)
            QMetaObject::invokeMethod(
                r, [r, reply, ok, error, n, rejected, rejectMessage] { r->finishCommitted(reply, ok, error, n, rejected, rejectMessage); },
                Qt::QueuedConnection);
    });
    if (!queued)
        post([this, reply] {
            answerStatus(reply, 503, Unavailable, tr("the receiver is shutting down"), QByteArrayLiteral("Retry-After"),
                         QByteArray::number(m_options.retryAfterSeconds));
        });
}

void OtlpReceiver::finishCommitted(const std::shared_ptr<Reply> &reply, bool ok, const QString &error, qint64 spans, qint64 rejected,
                                   const QString &rejectMessage)
{
    if (!ok) {
        answerStatus(reply, 503, Unavailable, tr("could not store the spans: %1").arg(error), QByteArrayLiteral("Retry-After"),
                     QByteArray::number(m_options.retryAfterSeconds));
        return;
    }
    m_counters.acceptedRequests.fetch_add(1);
    m_counters.acceptedSpans.fetch_add(spans);
    m_counters.rejectedSpans.fetch_add(rejected);
    if (reply->json) {
        QByteArray body = QByteArrayLiteral("{}");
        if (rejected > 0)
            body = QJsonDocument(QJsonObject{{QStringLiteral("partialSuccess"),
                                              QJsonObject{{QStringLiteral("rejectedSpans"), QString::number(rejected)},
                                                          {QStringLiteral("errorMessage"), rejectMessage}}}})
                       .toJson(QJsonDocument::Compact);
        answer(reply, 200, body, QByteArrayLiteral("application/json"));
        return;
    }
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
    if (rejected > 0) {
        auto *partial = response.mutable_partial_success();
        partial->set_rejected_spans(rejected);
        partial->set_error_message(rejectMessage.toStdString());
    }
    const std::string out = response.SerializeAsString();
    answer(reply, 200, QByteArray(out.data(), qsizetype(out.size())), QByteArrayLiteral("application/x-protobuf"));
}

} // namespace spanscope
