#include "gatewaydialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace spanscope {

GatewayDialog::GatewayDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("gatewayDialog"));
    setWindowTitle(tr("Connect to Portkey Gateway"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Spanscope subscribes to the gateway's live log feed (<code>/log/stream</code>) and turns every "
                                "request into a trace: one LLM span per target tried, so retries and fallbacks show, with tokens "
                                "and cost. Only requests made after connecting are seen."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("gatewayUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8787"));
    m_url->setClearButtonEnabled(true);
    form->addRow(tr("Gateway &URL:"), m_url);
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("gatewayToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("optional — newer gateways require their admin token"));
    form->addRow(tr("Bearer &token:"), m_token);
    m_remember = new QCheckBox(tr("&Remember the token in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("gatewayRememberToken"));
    form->addRow(QString(), m_remember);
    layout->addLayout(form);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("gatewayNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("gatewayError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d93025"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_url, &QLineEdit::textChanged, this, &GatewayDialog::validate);
    setMinimumWidth(520);
    validate();
}

void GatewayDialog::setUrl(const QString &url) { m_url->setText(url); }
void GatewayDialog::setToken(const QString &token) { m_token->setText(token); }
void GatewayDialog::setRememberToken(bool remember) { m_remember->setChecked(remember); }
void GatewayDialog::setNote(const QString &note) { m_note->setText(note); }

QUrl GatewayDialog::url() const
{
    const QString text = m_url->text().trimmed();
    return QUrl::fromUserInput(text.isEmpty() ? m_url->placeholderText() : text);
}

QString GatewayDialog::token() const { return m_token->text().trimmed(); }
bool GatewayDialog::rememberToken() const { return m_remember->isChecked(); }

void GatewayDialog::validate()
{
    const QUrl u = url();
    const bool ok = u.isValid() && (u.scheme() == QLatin1String("http") || u.scheme() == QLatin1String("https")) && !u.host().isEmpty();
    m_connect->setEnabled(ok);
    m_error->setVisible(!ok);
    if (!ok)
        m_error->setText(tr("Enter an http:// or https:// URL of the gateway."));
}

} // namespace spanscope
