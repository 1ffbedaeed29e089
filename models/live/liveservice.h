#pragma once

#include "otlpreceiver.h"
#include "portkeysubscriber.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <deque>
#include <memory>

namespace spanscope {

// Throttled news from the live ingest, for the status bar and the trace list.
struct LiveActivity {
    QSet<QString> touchedTraces;     // traces that got spans since the previous notice
    qint64 newSpans = 0;             // committed since the previous notice
    qint64 totalSpans = 0;           // committed since the service started
    double spansPerSecond = 0;       // over the last few seconds
    qint64 requests = 0;             // OTLP/HTTP requests since the receiver started
    qint64 rejectedRequests = 0;     // 4xx
    qint64 overloadedRequests = 0;   // 429/503
    qint64 gatewayEvents = 0;        // Portkey log events received
    int openConnections = 0;
    QString lastError;
};

// Everything live behind one object that lives on the caller's thread (the GUI thread, or the main
// thread of `spanscope serve`): the receiver and the gateway subscriber run on a network thread
// of their own, spans are written by the LiveWriter thread, and news comes back at most every
// notifyIntervalMs as activity(). Start/stop calls block briefly (listen, flush).
class LiveService : public QObject
{
    Q_OBJECT
public:
    explicit LiveService(const QString &workspacePath, QObject *parent = nullptr);
    ~LiveService() override;   // shutdown()

    QString workspacePath() const { return m_workspacePath; }

    bool startReceiver(const LiveReceiverOptions &options, QString *error = nullptr);
    void stopReceiver();
    bool isReceiving() const { return m_receiver != nullptr; }
    QString endpoint() const { return m_endpoint; }   // "http://127.0.0.1:4318", empty when off
    quint16 port() const { return m_port; }

    bool connectGateway(const PortkeySubscriberOptions &options, QString *error = nullptr);
    void disconnectGateway();
    bool isGatewayConnected() const { return m_subscriber != nullptr; }
    PortkeySubscriber::State gatewayState() const { return m_gatewayState; }
    QString gatewayMessage() const { return m_gatewayMessage; }

    // Stops everything; what was accepted is committed first.
    void shutdown();

    void setNotifyInterval(int ms);
    LiveActivity currentTotals() const;   // totals now (touchedTraces and newSpans empty)

Q_SIGNALS:
    void activity(const spanscope::LiveActivity &activity);
    void receiverStateChanged(bool receiving, const QString &endpoint);
    void gatewayStateChanged(spanscope::PortkeySubscriber::State state, const QString &message);

private:
    bool ensureWriter(QString *error);
    void releaseWriterIfIdle();
    void poll();
    template<typename F> void onNetworkThread(F &&fn);

    QString m_workspacePath;
    QThread m_netThread;
    QObject *m_netContext = nullptr;           // lives on m_netThread
    std::unique_ptr<LiveWriter> m_writer;
    OtlpReceiver *m_receiver = nullptr;        // lives on m_netThread
    PortkeySubscriber *m_subscriber = nullptr; // lives on m_netThread
    QString m_endpoint;
    quint16 m_port = 0;
    PortkeySubscriber::State m_gatewayState = PortkeySubscriber::State::Disconnected;
    QString m_gatewayMessage;

    QTimer m_poll;
    qint64 m_totalSpans = 0;
    std::deque<std::pair<qint64, qint64>> m_rateWindow;  // (ms, spans committed in that poll)
    QElapsedTimer m_clock;
    double m_lastRate = 0;
    LiveActivity m_stopped;   // the receiver's and subscriber's last counters once they are gone
};

} // namespace spanscope

Q_DECLARE_METATYPE(spanscope::LiveActivity)
