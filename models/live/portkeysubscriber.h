#pragma once

#include "livewriter.h"
#include "portkeymapping.h"
#include "sseparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace spanscope {

class PriceTable;

struct PortkeySubscriberOptions {
    QUrl url;                       // the gateway (http://127.0.0.1:8787) or its /log/stream URL
    QString bearerToken;            // admin token; newer gateways require one for /log/stream
    int initialBackoffMs = 500;     // first reconnect delay, doubled up to maxBackoffMs
    int maxBackoffMs = 30000;
    int stallTimeoutMs = 35000;     // the gateway sends a heartbeat every 10 s: silence this long = dead
    std::shared_ptr<const PriceTable> prices;   // nullptr = built-in table
    PortkeyLogMapper mapper;        // nullptr = defaultPortkeyLogMapper()
};

// Subscribes to a Portkey gateway's live log feed (GET /log/stream, server-sent events,
// FORMATS.md §5) and writes one trace per `log` event through the LiveWriter. Reconnects with
// exponential backoff when the gateway goes away, stalls or refuses. Lives on a thread with an
// event loop (the live network thread), never the GUI thread: events are mapped and enriched here.
class PortkeySubscriber : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    PortkeySubscriber(LiveWriter *writer, PortkeySubscriberOptions options, QObject *parent = nullptr);
    ~PortkeySubscriber() override;

    static QUrl streamUrl(const QUrl &gatewayUrl);   // appends /log/stream unless already there

    void start();
    void stop();
    State state() const { return m_state; }
    QUrl url() const { return m_streamUrl; }
    qint64 events() const { return m_events.load(); }        // `log` events received
    qint64 spansSubmitted() const { return m_spans.load(); }
    qint64 badEvents() const { return m_badEvents.load(); }
    int nextRetryMs() const { return m_backoffMs; }

    static QString stateName(State state);

Q_SIGNALS:
    // message: what happened, for the status bar ("connected", "gateway refused: HTTP 401", …)
    void stateChanged(spanscope::PortkeySubscriber::State state, const QString &message);

private:
    void connectNow();
    void onReadyRead();
    void onFinished();
    void scheduleReconnect(const QString &why);
    void setState(State state, const QString &message);
    void handleEvent(const SseEvent &event);

    LiveWriter *m_writer;
    PortkeySubscriberOptions m_options;
    std::shared_ptr<const PriceTable> m_prices;
    QUrl m_streamUrl;
    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    QTimer m_reconnect;
    QTimer m_stall;
    QElapsedTimer m_connectedFor;
    State m_state = State::Disconnected;
    int m_backoffMs = 0;
    bool m_running = false;
    std::atomic<qint64> m_events{0};
    std::atomic<qint64> m_spans{0};
    std::atomic<qint64> m_badEvents{0};
};

} // namespace spanscope
