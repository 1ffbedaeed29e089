#include "portkeysubscriber.h"

#include "ingest/importpipeline.h"
#include "pricing/pricetable.h"
#include "formats/redaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace spanscope {

PortkeySubscriber::PortkeySubscriber(LiveWriter *writer, PortkeySubscriberOptions options, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_options(std::move(options))
    , m_streamUrl(streamUrl(m_options.url))
{
    if (!m_options.mapper)
        m_options.mapper = defaultPortkeyLogMapper();
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &PortkeySubscriber::connectNow);
    m_stall.setSingleShot(true);
    connect(&m_stall, &QTimer::timeout, this, [this] {
        if (m_reply)
            m_reply->abort();   // onFinished schedules the reconnect
    });
}

PortkeySubscriber::~PortkeySubscriber()
{
    stop();
}

QUrl PortkeySubscriber::streamUrl(const QUrl &gatewayUrl)
{
    QUrl u = gatewayUrl;
    QString path = u.path();
    if (path.endsWith(QLatin1String("/log/stream")))
        return u;
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    u.setPath(path + QStringLiteral("/log/stream"));
    return u;
}

QString PortkeySubscriber::stateName(State state)
{
    switch (state) {
    case State::Disconnected: return tr("disconnected");
    case State::Connecting: return tr("connecting");
    case State::Connected: return tr("connected");
    case State::Reconnecting: return tr("reconnecting");
    }
    return {};
}

void PortkeySubscriber::start()
{
    if (m_running)
        return;
    m_running = true;
    m_prices = m_options.prices ? m_options.prices : PriceTable::builtin();
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    m_backoffMs = 0;
    connectNow();
}

void PortkeySubscriber::stop()
{
    m_running = false;
    m_reconnect.stop();
    m_stall.stop();
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply = nullptr;
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    setState(State::Disconnected, tr("disconnected"));
}

void PortkeySubscriber::setState(State state, const QString &message)
{
    const bool changed = state != m_state;
    m_state = state;
    if (changed || state == State::Reconnecting)
        Q_EMIT stateChanged(state, message);
}

void PortkeySubscriber::connectNow()
{
    if (!m_running)
        return;
    if (!m_streamUrl.isValid() || (m_streamUrl.scheme() != QLatin1String("http") && m_streamUrl.scheme() != QLatin1String("https"))) {
        m_running = false;
        setState(State::Disconnected, tr("not an http(s) URL: %1").arg(m_streamUrl.toString()));
        return;
    }
    m_parser.reset();
    QNetworkRequest request(m_streamUrl);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    if (!m_options.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_options.bearerToken.toUtf8());
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(0);
    m_reply = m_nam->get(request);
    connect(m_reply, &QIODevice::readyRead, this, &PortkeySubscriber::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &PortkeySubscriber::onFinished);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        if (!m_reply)
            return;
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            m_connectedFor.start();
            setState(State::Connected, tr("connected to %1").arg(m_streamUrl.toString()));
        }
    });
    m_stall.start(m_options.stallTimeoutMs);
    setState(m_backoffMs > 0 ? State::Reconnecting : State::Connecting, tr("connecting to %1").arg(m_streamUrl.toString()));
}

void PortkeySubscriber::onReadyRead()
{
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = m_reply->readAll();
    if (status != 200)
        return;   // an error body; onFinished reports it
    m_stall.start(m_options.stallTimeoutMs);
    for (const SseEvent &e : m_parser.feed(bytes))
        handleEvent(e);
}

void PortkeySubscriber::handleEvent(const SseEvent &event)
{
    if (event.event == "connected") {
        m_backoffMs = 0;
        setState(State::Connected, tr("connected to %1").arg(m_streamUrl.toString()));
        return;
    }
    if (event.event != "log")
        return;   // heartbeat and anything newer
    m_events.fetch_add(1);
    QString error;
    SpanList spans = m_options.mapper(event.data, QDateTime::currentMSecsSinceEpoch() * 1000000, &error);
    if (spans.isEmpty()) {
        m_badEvents.fetch_add(1);
        return;
    }
    redaction::redactSpans(spans);
    enrichSpans(spans, *m_prices);
    m_spans.fetch_add(spans.size());
    // The feed has no acknowledgement to give: a failed commit shows in the writer's activity.
    m_writer->submit(std::move(spans), {});
}

void PortkeySubscriber::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_stall.stop();
    reply->deleteLater();
    if (!m_running)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString why;
    if (status == 401 || status == 403)
        why = tr("the gateway refused the token (HTTP %1)").arg(status);
    else if (status != 0 && status != 200)
        why = tr("the gateway answered HTTP %1").arg(status);
    else if (reply->error() != QNetworkReply::NoError && reply->error() != QNetworkReply::OperationCanceledError)
        why = reply->errorString();
    else if (reply->error() == QNetworkReply::OperationCanceledError)
        why = tr("no heartbeat from the gateway");
    else
        why = tr("the gateway closed the stream");
    // A connection that lasted resets the backoff: this is a new outage, not the same one.
    if (m_connectedFor.isValid() && m_connectedFor.elapsed() > 10000)
        m_backoffMs = 0;
    m_connectedFor.invalidate();
    scheduleReconnect(why);
}

void PortkeySubscriber::scheduleReconnect(const QString &why)
{
    m_backoffMs = m_backoffMs == 0 ? m_options.initialBackoffMs : std::min(m_backoffMs * 2, m_options.maxBackoffMs);
    if (m_parser.retryMs() > m_backoffMs)
        m_backoffMs = std::min(m_parser.retryMs(), m_options.maxBackoffMs);
    setState(State::Reconnecting, tr("%1; retrying in %2 s").arg(why).arg(m_backoffMs / 1000.0, 0, 'f', 1));
    m_reconnect.start(m_backoffMs);
}

} // namespace spanscope
