#pragma once

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace spanscope {

// Live > Connect to gateway…: the Portkey gateway's URL, an optional bearer (admin) token, and
// whether to remember the token in the system keychain.
class GatewayDialog : public QDialog
{
    Q_OBJECT
public:
    explicit GatewayDialog(QWidget *parent = nullptr);

    void setUrl(const QString &url);
    void setToken(const QString &token);
    void setRememberToken(bool remember);
    void setNote(const QString &note);   // where the token is kept, keychain availability

    QUrl url() const;
    QString token() const;
    bool rememberToken() const;

private:
    void validate();

    QLineEdit *m_url = nullptr;
    QLineEdit *m_token = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_connect = nullptr;
};

} // namespace spanscope
