#pragma once

#include "live/liveservice.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace spanscope {

// The GUI side of live ingest: one LiveService for the open workspace, the receiver toggle
// (remembered in Settings), the Portkey gateway subscription and its token. Tokens live in the
// system keychain (qtkeychain) and never in settings; without a keychain backend (a headless
// box) a token is kept in memory for this session only, and tokenNote() says so.
class LiveController : public QObject
{
    Q_OBJECT
public:
    explicit LiveController(QObject *parent = nullptr);
    ~LiveController() override;

    // Moves live ingest to another workspace: what runs is stopped (flushed) and started again.
    void setWorkspace(const QString &path);
    QString workspace() const { return m_workspace; }

    // Starts/stops the OTLP receiver with the settings' port and address; remembers the choice.
    // false and receiverStateChanged(false, …, error) when it cannot listen.
    bool setReceiving(bool on);
    bool isReceiving() const { return m_service && m_service->isReceiving(); }
    QString endpoint() const { return m_service ? m_service->endpoint() : QString(); }

    void connectGateway(const QUrl &url, const QString &token, bool rememberToken);
    void disconnectGateway();
    bool isGatewayConnected() const { return m_service && m_service->isGatewayConnected(); }
    PortkeySubscriber::State gatewayState() const;
    QString gatewayMessage() const;
    QUrl gatewayUrl() const { return m_gatewayUrl; }

    // Reads the remembered gateway token (asynchronously; "" when none) and calls `done` with it
    // and a note about where it is kept.
    void readGatewayToken(std::function<void(const QString &token, const QString &note)> done);
    QString tokenNote() const { return m_tokenNote; }

    // The bearer token remote senders must present when the receiver listens beyond loopback
    // (Live > Receiver Settings). Kept in the keychain (or for this session without one).
    void setReceiverToken(const QString &token);
    void readReceiverToken(std::function<void(const QString &token)> done);

    LiveService *service() const { return m_service.get(); }
    static QString keychainService() { return QStringLiteral("Spanscope"); }

Q_SIGNALS:
    void receiverStateChanged(bool receiving, const QString &endpoint, const QString &error);
    void activity(const spanscope::LiveActivity &activity);
    void gatewayStateChanged(spanscope::PortkeySubscriber::State state, const QString &message);
    void tokenNoteChanged(const QString &note);

private:
    void createService();
    void storeToken(const QString &token);
    void storeSecret(const QString &key, const QString &value);
    void setTokenNote(const QString &note);

    QString m_workspace;
    std::unique_ptr<LiveService> m_service;
    QUrl m_gatewayUrl;
    QString m_sessionToken;   // when the keychain cannot hold it
    QString m_tokenNote;
    QString m_receiverToken;
    bool m_receiverTokenLoaded = false;
};

} // namespace spanscope
