#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>

namespace spanscope {

// The one place that touches QSettings. Typed getters, setters that emit when a value changes.
class Settings : public QObject
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    static Settings &instance();

    QString lastWorkspace() const;
    void setLastWorkspace(const QString &path);

    QStringList recentFiles() const;
    void addRecentFile(const QString &path);
    void clearRecentFiles();

    Theme theme() const;
    void setTheme(Theme theme);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry, const QByteArray &state);

    QByteArray splitterState(const QString &name) const;
    void setSplitterState(const QString &name, const QByteArray &state);

    QByteArray headerState(const QString &name) const;
    void setHeaderState(const QString &name, const QByteArray &state);

    QString lastOpenDirectory() const;
    void setLastOpenDirectory(const QString &dir);

    bool keepSecretsOnImport() const;     // default false: credentials are redacted on import
    void setKeepSecretsOnImport(bool keep);

    QString priceOverrideFile() const;    // user's price overrides (README "Prices"); empty = none
    void setPriceOverrideFile(const QString &path);

    // Live ingest (README "Live"). Secrets (tokens) are never stored here: see LiveController.
    bool liveReceiverEnabled() const;             // the Live toggle, restored at start
    void setLiveReceiverEnabled(bool on);
    int liveReceiverPort() const;                 // default 4318
    void setLiveReceiverPort(int port);
    QString liveReceiverBindAddress() const;      // default 127.0.0.1
    void setLiveReceiverBindAddress(const QString &address);
    bool liveReceiverAllowNonLoopback() const;    // explicit opt-in to listen beyond loopback
    void setLiveReceiverAllowNonLoopback(bool allow);
    bool liveFollowLatest() const;
    void setLiveFollowLatest(bool on);
    QString portkeyGatewayUrl() const;            // last gateway connected to
    void setPortkeyGatewayUrl(const QString &url);

    static constexpr int MaxRecentFiles = 10;

Q_SIGNALS:
    void themeChanged(spanscope::Settings::Theme theme);
    void recentFilesChanged();

private:
    Settings();
};

} // namespace spanscope
