#pragma once

#include "livewriter.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <mutex>
#include <memory>

class QThreadPool;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;

namespace spanscope {

class PriceTable;
class OtlpHttpServer;
class LimitedTcpServer;

struct LiveReceiverOptions {
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 4318;                      // 0 = any free port (tests)
    // Listening beyond loopback must be asked for explicitly, and then needs a bearer token.
    bool allowNonLoopback = false;
    QString bearerToken;                      // when set, every request needs "Authorization: Bearer <token>"
    qint64 maxBodyBytes = 64LL << 20;         // per request, decompressed (the Collector's default)
    qint64 maxInflightBytes = 256LL << 20;    // request bodies accepted but not yet answered
    int maxInflightRequests = 512;
    qint64 maxPendingSpans = 200000;          // decoded spans waiting for the writer
    int maxConnections = 256;                 // further clients wait in the listen backlog
    int idleTimeoutMs = 60000;                // a connection with nothing to do is closed after this
    int requestTimeoutMs = 30000;             // a request must arrive completely within this
    int decodeThreads = 2;
    int retryAfterSeconds = 1;
    std::shared_ptr<const PriceTable> prices; // nullptr = built-in table
};

// Counters since start (thread-safe to read).
struct LiveReceiverCounters {
    std::atomic<qint64> requests{0};
    std::atomic<qint64> acceptedRequests{0};   // answered 200
    std::atomic<qint64> acceptedSpans{0};      // committed and acknowledged
    std::atomic<qint64> rejectedSpans{0};      // dropped in a partial success (missing ids)
    std::atomic<qint64> badRequests{0};        // 400, 401, 404, 405, 413, 415
    std::atomic<qint64> overloaded{0};         // 429, 503
    std::atomic<qint64> bytesReceived{0};
};

// OTLP/HTTP trace receiver (FORMATS.md §2) plus the Portkey default.log plugin endpoint, on Qt
// HttpServer. Lives on a thread with an event loop (the network thread); bodies are decoded on a
// small pool, spans go to the LiveWriter, and a request is answered 200 only after its spans are
// committed.
//
//   POST /v1/traces        application/json | application/x-protobuf, optional gzip
//   POST /v1/portkey/log   the default.log plugin's JSON (FORMATS.md §5)
//
// Qt HttpServer 6.4 reads a whole request before calling us and has no per-request limits or
// timeouts of its own; this class adds them around it: a connection cap (pausing accept), an idle
// timeout, a deadline for a request to arrive completely, and a raw-size cap checked as bytes
// arrive (answered 413 and the connection closed once the client has read it).
class OtlpReceiver : public QObject
{
    Q_OBJECT
public:
    OtlpReceiver(LiveWriter *writer, LiveReceiverOptions options, QObject *parent = nullptr);
    ~OtlpReceiver() override;

    // Starts listening; false and *error (user-facing) when the address is refused or taken.
    bool listen(QString *error);
    // Stops accepting and waits for decoding to finish; answers already queued with the writer
    // still go out when it commits (or fails) while this object lives.
    void stopListening();
    bool isListening() const;
    quint16 port() const { return m_port; }
    QString endpointUrl() const;   // http://127.0.0.1:4318
    const LiveReceiverOptions &options() const { return m_options; }
    const LiveReceiverCounters &counters() const { return m_counters; }
    int openConnections() const;
    // Pushes answers already written towards their clients (before the receiver is deleted).
    void flushConnections(int waitMs = 200);

    // For OtlpHttpServer (on this object's thread).
    void handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder);

private:
    struct Reply;
    void answer(const std::shared_ptr<Reply> &reply, int status, const QByteArray &body, const QByteArray &contentType,
                const QByteArray &extraHeader = {}, const QByteArray &extraValue = {});
    void answerStatus(const std::shared_ptr<Reply> &reply, int httpStatus, int rpcCode, const QString &message,
                      const QByteArray &extraHeader = {}, const QByteArray &extraValue = {});
    void decodeAndSubmit(std::shared_ptr<Reply> reply, QByteArray body, bool portkeyHook);
    void finishCommitted(const std::shared_ptr<Reply> &reply, bool ok, const QString &error, qint64 spans, qint64 rejected,
                         const QString &rejectMessage);

    // Writer completions reach this object only while it lives (they may finish after it is gone
    // when the writer outlives the receiver, e.g. while a gateway subscription goes on).
    struct Life {
        std::mutex mutex;
        OtlpReceiver *receiver = nullptr;
    };
    std::shared_ptr<Life> m_life;
    // Bytes of requests still arriving on all connections (Qt buffers each request whole); shared
    // with the connection guards, which may outlive this object's members during destruction.
    std::shared_ptr<std::atomic<qint64>> m_arrivingBytes;
    LiveWriter *m_writer;
    LiveReceiverOptions m_options;
    std::shared_ptr<const PriceTable> m_prices;
    OtlpHttpServer *m_http = nullptr;
    QPointer<LimitedTcpServer> m_tcp;
    QThreadPool *m_pool = nullptr;
    quint16 m_port = 0;
    LiveReceiverCounters m_counters;
    std::atomic<qint64> m_inflightBytes{0};
    std::atomic<int> m_inflightRequests{0};
};

} // namespace spanscope
