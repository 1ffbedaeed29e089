#pragma once

#include <QDialog>
#include <QString>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace spanscope {

// File > Connect to Team Store…: a PostgreSQL database as the workspace. The password goes to the
// system keychain when "Remember" is checked (never to settings); without a keychain it is kept
// for the session only, and the dialog says so.
class TeamStoreDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TeamStoreDialog(QWidget *parent = nullptr);

    // Prefills the fields from a postgresql:// URL (e.g. the current or last team store).
    void setUrl(const QString &url);
    // postgresql://user@host:port/database[?schema=…], without the password.
    QString url() const;
    QString password() const;
    bool rememberPassword() const;

private:
    void updateState();

    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_schema = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_preview = nullptr;
    QPushButton *m_ok = nullptr;
};

// The system keychain (qtkeychain, service "Spanscope", key "team-store:<url without password>").
namespace teamstore {
// Blocks (a short local event loop, at most `timeoutMs`) until the keychain answers; empty when
// there is no entry or no keychain.
QString readPassword(const QString &url, int timeoutMs = 5000);
// Stores (or, for an empty password, deletes) the password; `done(ok, message)` is called when the
// keychain answered (may be empty).
void savePassword(const QString &url, const QString &password,
                  std::function<void(bool ok, const QString &message)> done = {});
// A workspace as settings and titles may show it: a team store's URL without its password.
QString withoutPassword(const QString &workspace);
} // namespace teamstore

} // namespace spanscope
