#include "liveservice.h"

#include <QCoreApplication>

namespace spanscope {

namespace {
constexpr qint64 kRateWindowMs = 3000;
} // namespace

LiveService::LiveService(const QString &workspacePath, QObject *parent)
    : QObject(parent)
    , m_workspacePath(workspacePath)
{
    qRegisterMetaType<spanscope::LiveActivity>();
    qRegisterMetaType<spanscope::PortkeySubscriber::State>();
    m_netThread.setObjectName(QStringLiteral("LiveNetwork"));
    m_netContext = new QObject;
    m_netContext->moveToThread(&m_netThread);
    m_netThread.start();
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &LiveService::poll);
    m_clock.start();
}

LiveService::~LiveService()
{
    // No news from a service being destroyed: its receivers may be half destroyed themselves (a
    // window tearing down its status bar). Call shutdown() first to get the last totals.
    blockSignals(true);
    shutdown();
    QMetaObject::invokeMethod(m_netContext, [c = m_netContext] { delete c; }, Qt::BlockingQueuedConnection);
    m_netThread.quit();
    m_netThread.wait();
}

template<typename F>
void LiveService::onNetworkThread(F &&fn)
{
    QMetaObject::invokeMethod(m_netContext, std::forward<F>(fn), Qt::BlockingQueuedConnection);
}

void LiveService::setNotifyInterval(int ms)
{
    m_poll.setInterval(ms);
}

bool LiveService::ensureWriter(QString *error)
{
    if (m_writer && m_writer->isRunning())
        return true;
    LiveWriter::Options o;
    o.workspacePath = m_workspacePath;
    m_writer = std::make_unique<LiveWriter>(o);
    QString message;
    if (!m_writer->start(&message)) {
        m_writer.reset();
        if (error)
            *error = tr("Cannot open the workspace for live ingest: %1").arg(message);
        return false;
    }
    m_poll.start();
    return true;
}

void LiveService::releaseWriterIfIdle()
{
    if (m_receiver || m_subscriber || !m_writer)
        return;
    m_writer->stop();
    poll();   // the last commits' news
    m_writer.reset();
    m_poll.stop();
}

bool LiveService::startReceiver(const LiveReceiverOptions &options, QString *error)
{
    if (m_receiver)
        return true;
    m_stopped.requests = m_stopped.rejectedRequests = m_stopped.overloadedRequests = 0;   // counts are per receiver run
    if (!ensureWriter(error))
        return false;
    bool ok = false;
    QString message;
    OtlpReceiver *receiver = nullptr;
    onNetworkThread([&] {
        receiver = new OtlpReceiver(m_writer.get(), options, m_netContext);
        ok = receiver->listen(&message);
        if (!ok) {
            delete receiver;
            receiver = nullptr;
        }
    });
    if (!ok) {
        if (error)
            *error = message;
        releaseWriterIfIdle();
        return false;
    }
    m_receiver = receiver;
    m_port = receiver->port();
    m_endpoint = receiver->endpointUrl();
    Q_EMIT receiverStateChanged(true, m_endpoint);
    return true;
}

void LiveService::stopReceiver()
{
    if (!m_receiver)
        return;
    OtlpReceiver *receiver = m_receiver;
    // No new requests; decoding finishes and hands its spans to the writer.
    onNetworkThread([receiver] { receiver->stopListening(); });
    const LiveActivity last = currentTotals();
    m_stopped.requests = last.requests;
    m_stopped.rejectedRequests = last.rejectedRequests;
    m_stopped.overloadedRequests = last.overloadedRequests;
    m_receiver = nullptr;
    if (!m_subscriber && m_writer)
        m_writer->stop();   // commits what was accepted; completions queue answers on the network thread
    // Deliver those answers, then let go of the receiver.
    onNetworkThread([receiver] {
        QCoreApplication::sendPostedEvents(receiver);
        receiver->flushConnections();
        delete receiver;
    });
    m_endpoint.clear();
    m_port = 0;
    releaseWriterIfIdle();
    Q_EMIT receiverStateChanged(false, QString());
}

bool LiveService::connectGateway(const PortkeySubscriberOptions &options, QString *error)
{
    disconnectGateway();
    const QUrl url = PortkeySubscriber::streamUrl(options.url);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty()) {
        if (error)
            *error = tr("\"%1\" is not an http:// or https:// URL.").arg(options.url.toString());
        return false;
    }
    if (!ensureWriter(error))
        return false;
    m_stopped.gatewayEvents = 0;
    PortkeySubscriber *subscriber = nullptr;
    onNetworkThread([&] {
        subscriber = new PortkeySubscriber(m_writer.get(), options, m_netContext);
        connect(subscriber, &PortkeySubscriber::stateChanged, this, [this](PortkeySubscriber::State state, const QString &message) {
            if (!m_subscriber)
                return;
            m_gatewayState = state;
            m_gatewayMessage = message;
            Q_EMIT gatewayStateChanged(state, message);
        });
        subscriber->start();
    });
    m_subscriber = subscriber;
    return true;
}

void LiveService::disconnectGateway()
{
    if (!m_subscriber)
        return;
    PortkeySubscriber *subscriber = m_subscriber;
    m_stopped.gatewayEvents = subscriber->events();
    m_subscriber = nullptr;
    onNetworkThread([subscriber] {
        subscriber->disconnect();
        subscriber->stop();
        delete subscriber;
    });
    m_gatewayState = PortkeySubscriber::State::Disconnected;
    m_gatewayMessage = tr("disconnected");
    Q_EMIT gatewayStateChanged(m_gatewayState, m_gatewayMessage);
    releaseWriterIfIdle();
}

void LiveService::shutdown()
{
    disconnectGateway();
    stopReceiver();
    if (m_writer) {
        m_writer->stop();
        m_writer.reset();
    }
    m_poll.stop();
}

LiveActivity LiveService::currentTotals() const
{
    LiveActivity a;
    a.totalSpans = m_totalSpans;
    a.spansPerSecond = m_lastRate;
    a.requests = m_stopped.requests;
    a.rejectedRequests = m_stopped.rejectedRequests;
    a.overloadedRequests = m_stopped.overloadedRequests;
    a.gatewayEvents = m_stopped.gatewayEvents;
    if (m_receiver) {
        const LiveReceiverCounters &c = m_receiver->counters();
        a.requests = c.requests.load();
        a.rejectedRequests = c.badRequests.load();
        a.overloadedRequests = c.overloaded.load();
        a.openConnections = m_receiver->openConnections();
    }
    if (m_subscriber)
        a.gatewayEvents = m_subscriber->events();
    return a;
}

void LiveService::poll()
{
    if (!m_writer)
        return;
    LiveWriterActivity w = m_writer->takeActivity();
    const qint64 now = m_clock.elapsed();
    m_totalSpans += w.committedSpans;
    m_rateWindow.emplace_back(now, w.committedSpans);
    while (!m_rateWindow.empty() && now - m_rateWindow.front().first > kRateWindowMs)
        m_rateWindow.pop_front();
    // Spans committed after the oldest sample, over the time since it.
    qint64 windowSpans = 0;
    for (size_t i = 1; i < m_rateWindow.size(); ++i)
        windowSpans += m_rateWindow[i].second;
    const qint64 span = m_rateWindow.size() > 1 ? now - m_rateWindow.front().first : 0;
    const double rate = span > 0 ? windowSpans * 1000.0 / span : (m_rateWindow.empty() ? 0 : w.committedSpans * 1000.0 / m_poll.interval());
    const bool changed = w.committedSpans > 0 || !w.touchedTraces.isEmpty() || !w.lastError.isEmpty() || rate != m_lastRate;
    m_lastRate = rate;
    if (!changed)
        return;
    LiveActivity a = currentTotals();
    a.touchedTraces = std::move(w.touchedTraces);
    a.newSpans = w.committedSpans;
    a.lastError = w.lastError;
    Q_EMIT activity(a);
}

} // namespace spanscope
