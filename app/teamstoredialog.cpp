#include "teamstoredialog.h"

#include "store/storelocation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEventLoop>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <qt6keychain/keychain.h>

namespace spanscope {

namespace {
const QString kService = QStringLiteral("Spanscope");

QString keyFor(const QString &url)
{
    return QStringLiteral("team-store:") + teamstore::withoutPassword(url);
}
} // namespace

TeamStoreDialog::TeamStoreDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("teamStoreDialog"));
    setWindowTitle(tr("Connect to Team Store"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A team shares one store in a PostgreSQL database: every window connected to it "
                                "browses the same traces, and <tt>spanscope serve --db postgresql://…</tt> writes "
                                "to it. An empty database (or schema) becomes a store on first use."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_host = new QLineEdit(QStringLiteral("localhost"), this);
    m_host->setObjectName(QStringLiteral("host"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_database = new QLineEdit(QStringLiteral("spanscope"), this);
    m_database->setObjectName(QStringLiteral("database"));
    m_user = new QLineEdit(qEnvironmentVariable("USER"), this);
    m_user->setObjectName(QStringLiteral("user"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("from the keychain, $PGPASSWORD or ~/.pgpass when empty"));
    m_schema = new QLineEdit(this);
    m_schema->setObjectName(QStringLiteral("schema"));
    m_schema->setPlaceholderText(tr("optional: the store's own schema in a shared database"));
    m_remember = new QCheckBox(tr("Remember the password in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("remember"));
    m_remember->setChecked(true);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Schema:"), m_schema);
    form->addRow(QString(), m_remember);
    layout->addLayout(form);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    layout->addWidget(m_preview);
    auto *note = new QLabel(tr("Passwords are never written to the settings file; without a keychain (a headless "
                               "machine) one is kept for this session only."),
                            this);
    note->setWordWrap(true);
    note->setEnabled(false);
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    for (QLineEdit *e : {m_host, m_database, m_user, m_schema})
        connect(e, &QLineEdit::textChanged, this, &TeamStoreDialog::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &TeamStoreDialog::updateState);
    updateState();
}

void TeamStoreDialog::setUrl(const QString &url)
{
    const StoreLocation loc = StoreLocation::parse(url);
    if (!loc.isPostgres() || loc.database.isEmpty())
        return;
    m_host->setText(loc.host);
    m_port->setValue(loc.port > 0 ? loc.port : 5432);
    m_database->setText(loc.database);
    m_user->setText(loc.user);
    m_schema->setText(loc.schema);
    m_password->setText(loc.password);
    updateState();
}

QString TeamStoreDialog::url() const
{
    StoreLocation loc;
    loc.backend = StoreLocation::Backend::Postgres;
    loc.host = m_host->text().trimmed();
    loc.port = m_port->value() == 5432 ? -1 : m_port->value();
    loc.database = m_database->text().trimmed();
    loc.user = m_user->text().trimmed();
    loc.schema = m_schema->text().trimmed();
    return loc.displayName();
}

QString TeamStoreDialog::password() const
{
    return m_password->text();
}

bool TeamStoreDialog::rememberPassword() const
{
    return m_remember->isChecked();
}

void TeamStoreDialog::updateState()
{
    const bool ok = !m_database->text().trimmed().isEmpty();
    m_ok->setEnabled(ok);
    m_preview->setText(ok ? tr("Store: %1").arg(url()) : tr("Name a database."));
}

namespace teamstore {

QString withoutPassword(const QString &workspace)
{
    return StoreLocation::isPostgresUrl(workspace) ? StoreLocation::parse(workspace).displayName() : workspace;
}

QString readPassword(const QString &url, int timeoutMs)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setAutoDelete(true);
    job->setKey(keyFor(url));
    QEventLoop loop;
    QString password;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *j) {
        finished = true;
        if (j->error() == QKeychain::NoError)
            password = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return password;
}

void savePassword(const QString &url, const QString &password, std::function<void(bool, const QString &)> done)
{
    QKeychain::Job *job = nullptr;
    if (password.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(kService);
    } else {
        auto *write = new QKeychain::WritePasswordJob(kService);
        write->setTextData(password);
        job = write;
    }
    job->setAutoDelete(true);
    job->setKey(keyFor(url));
    QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound, j->errorString());
    });
    job->start();
}

} // namespace teamstore

} // namespace spanscope
