#include "livecontroller.h"

#include "settings.h"

#include <QProcessEnvironment>

#include <qt6keychain/keychain.h>

namespace spanscope {

namespace {
const QString kTokenKey = QStringLiteral("portkey-gateway-token");
const QString kReceiverTokenKey = QStringLiteral("otlp-receiver-token");

bool keychainMissing(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented || error == QKeychain::OtherError
        || error == QKeychain::AccessDenied;
}
} // namespace

LiveController::LiveController(QObject *parent)
    : QObject(parent)
{
}

LiveController::~LiveController() = default;

void LiveController::createService()
{
    m_service = std::make_unique<LiveService>(m_workspace);
    connect(m_service.get(), &LiveService::activity, this, &LiveController::activity);
    connect(m_service.get(), &LiveService::gatewayStateChanged, this, &LiveController::gatewayStateChanged);
}

void LiveController::setWorkspace(const QString &path)
{
    if (path == m_workspace && m_service)
        return;
    const bool receiving = isReceiving();
    const bool gateway = isGatewayConnected();
    const QString token = m_sessionToken;
    if (m_service) {
        m_service->shutdown();
        m_service.reset();
    }
    m_workspace = path;
    createService();
    if (receiving || (!m_service->isReceiving() && Settings::instance().liveReceiverEnabled()))
        setReceiving(true);
    if (gateway)
        readGatewayToken([this, token](const QString &stored, const QString &) {
            connectGateway(m_gatewayUrl, stored.isEmpty() ? token : stored, false);
        });
}

bool LiveController::setReceiving(bool on)
{
    if (!m_service)
        createService();
    Settings::instance().setLiveReceiverEnabled(on);
    if (!on) {
        m_service->stopReceiver();
        Q_EMIT receiverStateChanged(false, QString(), QString());
        return true;
    }
    if (m_service->isReceiving())
        return true;
    const Settings &s = Settings::instance();
    LiveReceiverOptions o;
    o.port = quint16(std::clamp(s.liveReceiverPort(), 0, 65535));
    if (!o.bindAddress.setAddress(s.liveReceiverBindAddress()))
        o.bindAddress = QHostAddress(QHostAddress::LocalHost);
    o.allowNonLoopback = s.liveReceiverAllowNonLoopback();
    if (o.allowNonLoopback && !m_receiverTokenLoaded) {
        // Remote senders need the token from the keychain: read it first, then start.
        readReceiverToken([this](const QString &) {
            if (Settings::instance().liveReceiverEnabled() && !isReceiving())
                setReceiving(true);
        });
        return true;
    }
    // The token from Live > Receiver Settings, else SPANSCOPE_RECEIVER_TOKEN from the environment.
    o.bearerToken = !m_receiverToken.isEmpty()
        ? m_receiverToken
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("SPANSCOPE_RECEIVER_TOKEN"));
    QString error;
    if (!m_service->startReceiver(o, &error)) {
        Q_EMIT receiverStateChanged(false, QString(), error);
        return false;
    }
    Q_EMIT receiverStateChanged(true, m_service->endpoint(), QString());
    return true;
}

PortkeySubscriber::State LiveController::gatewayState() const
{
    return m_service ? m_service->gatewayState() : PortkeySubscriber::State::Disconnected;
}

QString LiveController::gatewayMessage() const
{
    return m_service ? m_service->gatewayMessage() : QString();
}

void LiveController::connectGateway(const QUrl &url, const QString &token, bool rememberToken)
{
    if (!m_service)
        createService();
    m_gatewayUrl = url;
    Settings::instance().setPortkeyGatewayUrl(url.toString());
    m_sessionToken = token;
    if (rememberToken)
        storeToken(token);
    PortkeySubscriberOptions o;
    o.url = url;
    o.bearerToken = token;
    QString error;
    if (!m_service->connectGateway(o, &error))
        Q_EMIT gatewayStateChanged(PortkeySubscriber::State::Disconnected, error);
}

void LiveController::disconnectGateway()
{
    if (m_service)
        m_service->disconnectGateway();
}

void LiveController::setTokenNote(const QString &note)
{
    if (note == m_tokenNote)
        return;
    m_tokenNote = note;
    Q_EMIT tokenNoteChanged(note);
}

void LiveController::storeToken(const QString &token)
{
    storeSecret(kTokenKey, token);
}

void LiveController::storeSecret(const QString &key, const QString &value)
{
    if (value.isEmpty()) {
        auto *job = new QKeychain::DeletePasswordJob(keychainService(), this);
        job->setKey(key);
        job->start();
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(keychainService(), this);
    job->setKey(key);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError)
            setTokenNote(tr("The token is stored in the system keychain."));
        else
            setTokenNote(tr("No system keychain is available (%1): the token is kept for this session only.").arg(j->errorString()));
    });
    job->start();
}

void LiveController::setReceiverToken(const QString &token)
{
    m_receiverToken = token;
    m_receiverTokenLoaded = true;
    storeSecret(kReceiverTokenKey, token);
}

void LiveController::readReceiverToken(std::function<void(const QString &token)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(keychainService(), this);
    job->setKey(kReceiverTokenKey);
    connect(job, &QKeychain::Job::finished, this, [this, done](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        // Set in this session (the keychain may have none to give) wins over what is stored.
        if (read->error() == QKeychain::NoError && !m_receiverTokenLoaded)
            m_receiverToken = read->textData();
        m_receiverTokenLoaded = true;
        if (done)
            done(m_receiverToken);
    });
    job->start();
}

void LiveController::readGatewayToken(std::function<void(const QString &, const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(keychainService(), this);
    job->setKey(kTokenKey);
    connect(job, &QKeychain::Job::finished, this, [this, done](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        QString note;
        QString token;
        if (read->error() == QKeychain::NoError) {
            token = read->textData();
            note = tr("The token is stored in the system keychain.");
        } else if (read->error() == QKeychain::EntryNotFound) {
            token = m_sessionToken;
            note = tr("Tokens are stored in the system keychain, never in settings.");
        } else if (keychainMissing(read->error())) {
            token = m_sessionToken;
            note = tr("No system keychain is available: a token is kept for this session only.");
        } else {
            token = m_sessionToken;
            note = read->errorString();
        }
        setTokenNote(note);
        done(token, note);
    });
    job->start();
}

} // namespace spanscope
