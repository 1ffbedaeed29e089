#include "settings.h"

#include <QFileInfo>
#include <QSettings>

namespace spanscope {

namespace {
QSettings store()
{
    return QSettings();
}
} // namespace

Settings::Settings() = default;

Settings &Settings::instance()
{
    static Settings s;
    return s;
}

QString Settings::lastWorkspace() const { return store().value(QStringLiteral("workspace/last")).toString(); }
void Settings::setLastWorkspace(const QString &path) { store().setValue(QStringLiteral("workspace/last"), path); }

QStringList Settings::recentFiles() const { return store().value(QStringLiteral("files/recent")).toStringList(); }

void Settings::addRecentFile(const QString &path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(abs);
    files.prepend(abs);
    while (files.size() > MaxRecentFiles)
        files.removeLast();
    store().setValue(QStringLiteral("files/recent"), files);
    Q_EMIT recentFilesChanged();
}

void Settings::clearRecentFiles()
{
    store().remove(QStringLiteral("files/recent"));
    Q_EMIT recentFilesChanged();
}

Settings::Theme Settings::theme() const
{
    const QString t = store().value(QStringLiteral("view/theme")).toString();
    if (t == QLatin1String("light"))
        return Theme::Light;
    if (t == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void Settings::setTheme(Theme theme)
{
    if (theme == this->theme())
        return;
    const char *name = theme == Theme::Light ? "light" : theme == Theme::Dark ? "dark" : "system";
    store().setValue(QStringLiteral("view/theme"), QString::fromLatin1(name));
    Q_EMIT themeChanged(theme);
}

QByteArray Settings::windowGeometry() const { return store().value(QStringLiteral("window/geometry")).toByteArray(); }
QByteArray Settings::windowState() const { return store().value(QStringLiteral("window/state")).toByteArray(); }

void Settings::setWindowGeometry(const QByteArray &geometry, const QByteArray &state)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), geometry);
    s.setValue(QStringLiteral("window/state"), state);
}

QByteArray Settings::splitterState(const QString &name) const
{
    return store().value(QStringLiteral("splitters/") + name).toByteArray();
}

void Settings::setSplitterState(const QString &name, const QByteArray &state)
{
    store().setValue(QStringLiteral("splitters/") + name, state);
}

QByteArray Settings::headerState(const QString &name) const
{
    return store().value(QStringLiteral("headers/") + name).toByteArray();
}

void Settings::setHeaderState(const QString &name, const QByteArray &state)
{
    store().setValue(QStringLiteral("headers/") + name, state);
}

QString Settings::lastOpenDirectory() const { return store().value(QStringLiteral("files/lastDir")).toString(); }
void Settings::setLastOpenDirectory(const QString &dir) { store().setValue(QStringLiteral("files/lastDir"), dir); }

bool Settings::keepSecretsOnImport() const { return store().value(QStringLiteral("import/keepSecrets"), false).toBool(); }
void Settings::setKeepSecretsOnImport(bool keep) { store().setValue(QStringLiteral("import/keepSecrets"), keep); }

QString Settings::priceOverrideFile() const { return store().value(QStringLiteral("prices/overrideFile")).toString(); }
void Settings::setPriceOverrideFile(const QString &path) { store().setValue(QStringLiteral("prices/overrideFile"), path); }

bool Settings::liveReceiverEnabled() const { return store().value(QStringLiteral("live/receiverEnabled"), false).toBool(); }
void Settings::setLiveReceiverEnabled(bool on) { store().setValue(QStringLiteral("live/receiverEnabled"), on); }
int Settings::liveReceiverPort() const { return store().value(QStringLiteral("live/port"), 4318).toInt(); }
void Settings::setLiveReceiverPort(int port) { store().setValue(QStringLiteral("live/port"), port); }
QString Settings::liveReceiverBindAddress() const { return store().value(QStringLiteral("live/bindAddress"), QStringLiteral("127.0.0.1")).toString(); }
void Settings::setLiveReceiverBindAddress(const QString &address) { store().setValue(QStringLiteral("live/bindAddress"), address); }
bool Settings::liveReceiverAllowNonLoopback() const { return store().value(QStringLiteral("live/allowNonLoopback"), false).toBool(); }
void Settings::setLiveReceiverAllowNonLoopback(bool allow) { store().setValue(QStringLiteral("live/allowNonLoopback"), allow); }
bool Settings::liveFollowLatest() const { return store().value(QStringLiteral("live/followLatest"), false).toBool(); }
void Settings::setLiveFollowLatest(bool on) { store().setValue(QStringLiteral("live/followLatest"), on); }
QString Settings::portkeyGatewayUrl() const { return store().value(QStringLiteral("live/portkeyGatewayUrl")).toString(); }
void Settings::setPortkeyGatewayUrl(const QString &url) { store().setValue(QStringLiteral("live/portkeyGatewayUrl"), url); }

} // namespace spanscope
