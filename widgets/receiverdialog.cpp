#include "receiverdialog.h"

#include <QAction>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace spanscope {

ReceiverDialog::ReceiverDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("receiverDialog"));
    setWindowTitle(tr("Receiver Settings"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("While <b>Live</b> is on, Spanscope accepts OpenTelemetry traces over OTLP/HTTP "
                                "(<code>POST /v1/traces</code>, JSON or protobuf). By default only programs on this "
                                "machine can send."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("receiverPort"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(4318);
    form->addRow(tr("&Port:"), m_port);
    m_remote = new QCheckBox(tr("Accept traces from &other machines (listen on every network interface)"), this);
    m_remote->setObjectName(QStringLiteral("receiverAcceptRemote"));
    form->addRow(QString(), m_remote);

    auto *tokenRow = new QHBoxLayout;
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("receiverToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("required for other machines"));
    QAction *reveal = m_token->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::TrailingPosition);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the token"));
    connect(reveal, &QAction::toggled, this,
            [this](bool on) { m_token->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    tokenRow->addWidget(m_token, 1);
    m_generate = new QPushButton(tr("&Generate"), this);
    m_generate->setObjectName(QStringLiteral("receiverGenerateToken"));
    connect(m_generate, &QPushButton::clicked, this, [this] { m_token->setText(generateToken()); });
    tokenRow->addWidget(m_generate);
    auto *tokenLabel = new QLabel(tr("Bearer &token:"), this);
    tokenLabel->setBuddy(m_token);
    form->addRow(tokenLabel, tokenRow);
    layout->addLayout(form);

    m_endpoint = new QLabel(this);
    m_endpoint->setObjectName(QStringLiteral("receiverEndpoint"));
    m_endpoint->setWordWrap(true);
    m_endpoint->setTextFormat(Qt::RichText);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_endpoint);
    m_note = new QLabel(tr("Tokens are stored in the system keychain, never in settings."), this);
    m_note->setObjectName(QStringLiteral("receiverNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("receiverError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d93025"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("receiverOk"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isValid())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_port, &QSpinBox::valueChanged, this, &ReceiverDialog::validate);
    connect(m_remote, &QCheckBox::toggled, this, &ReceiverDialog::validate);
    connect(m_token, &QLineEdit::textChanged, this, &ReceiverDialog::validate);
    setMinimumWidth(560);
    validate();
}

void ReceiverDialog::setPort(int port) { m_port->setValue(port); }
void ReceiverDialog::setAcceptRemote(bool remote) { m_remote->setChecked(remote); }
void ReceiverDialog::setToken(const QString &token) { m_token->setText(token); }
void ReceiverDialog::setNote(const QString &note) { m_note->setText(note); }

int ReceiverDialog::port() const { return m_port->value(); }
bool ReceiverDialog::acceptRemote() const { return m_remote->isChecked(); }
QString ReceiverDialog::bindAddress() const
{
    return acceptRemote() ? QStringLiteral("0.0.0.0") : QStringLiteral("127.0.0.1");
}
QString ReceiverDialog::token() const { return m_token->text().trimmed(); }
bool ReceiverDialog::isValid() const { return !acceptRemote() || !token().isEmpty(); }

QString ReceiverDialog::generateToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator *random = QRandomGenerator::system();
    for (char &b : bytes)
        b = char(random->bounded(256));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void ReceiverDialog::validate()
{
    const bool remote = acceptRemote();
    m_token->setEnabled(remote);
    m_generate->setEnabled(remote);
    const QString port = m_port->value() > 0 ? QString::number(m_port->value()) : tr("<i>port</i>");
    if (remote)
        m_endpoint->setText(tr("Senders use <code>http://<i>this-machine</i>:%1</code> and send the header "
                               "<code>Authorization: Bearer <i>token</i></code>; requests without it are refused.")
                                .arg(port));
    else
        m_endpoint->setText(tr("Senders on this machine use <code>OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:%1</code>.")
                                .arg(port));
    const bool ok = isValid();
    m_ok->setEnabled(ok);
    m_error->setVisible(!ok);
    if (!ok)
        m_error->setText(tr("Set a token (or generate one): anyone on the network could send traces otherwise."));
}

} // namespace spanscope
