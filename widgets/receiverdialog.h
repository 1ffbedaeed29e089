#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace spanscope {

// Live > Receiver Settings…: the OTLP/HTTP receiver's port, whether it accepts senders from other
// machines (it then listens on every interface) and the bearer token those senders must present.
// Plain values in and out; the caller stores them (settings, keychain) and restarts the receiver.
class ReceiverDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ReceiverDialog(QWidget *parent = nullptr);

    void setPort(int port);                  // 0 = any free port (tests)
    void setAcceptRemote(bool remote);
    void setToken(const QString &token);
    void setNote(const QString &note);       // where the token is kept

    int port() const;
    bool acceptRemote() const;
    QString bindAddress() const;             // 127.0.0.1, or 0.0.0.0 when accepting remote senders
    QString token() const;
    bool isValid() const;                    // remote senders need a token

    // A random URL-safe token (32 bytes of entropy).
    static QString generateToken();

private:
    void validate();

    QSpinBox *m_port = nullptr;
    QCheckBox *m_remote = nullptr;
    QLineEdit *m_token = nullptr;
    QPushButton *m_generate = nullptr;
    QLabel *m_endpoint = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace spanscope
