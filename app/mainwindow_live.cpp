// The main window's Live parts: toolbar toggle, Live menu, status-bar widget, trace list growing
// at the top, the open trace growing in place, follow-latest. Kept apart from mainwindow.cpp.
#include "mainwindow.h"

#include "livecontroller.h"
#include "items/tracelistmodel.h"
#include "items/workspacereader.h"
#include "trace/trace.h"
#include "widgets/gatewaydialog.h"
#include "widgets/receiverdialog.h"
#include "widgets/livestatuswidget.h"
#include "widgets/traceview.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMenuBar>
#include <QPainter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace spanscope {

namespace {
// The open trace is re-read at most this often while spans keep arriving for it.
constexpr int kTraceReloadMs = 1000;
constexpr qint64 kCountsEveryMs = 1000;

// A dot that is green while receiving and grey when off (no theme has a fitting icon everywhere).
QIcon liveIcon()
{
    QIcon icon;
    for (const auto &[state, color] : {std::pair{QIcon::On, QColor(0x2e, 0x9d, 0x52)}, std::pair{QIcon::Off, QColor(0x9a, 0xa0, 0xa6)}}) {
        for (int size : {16, 24, 32}) {
            QPixmap pm(size, size);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(Qt::NoPen);
            p.setBrush(color);
            const qreal r = size * 0.28;
            p.drawEllipse(QPointF(size / 2.0, size / 2.0), r, r);
            if (state == QIcon::On) {
                QColor halo = color;
                halo.setAlphaF(0.35);
                p.setBrush(Qt::NoBrush);
                p.setPen(QPen(halo, size * 0.08));
                p.drawEllipse(QPointF(size / 2.0, size / 2.0), size * 0.42, size * 0.42);
            }
            p.end();
            icon.addPixmap(pm, QIcon::Normal, state);
        }
    }
    return icon;
}

LiveStatusWidget::Health healthOf(PortkeySubscriber::State s)
{
    switch (s) {
    case PortkeySubscriber::State::Connected: return LiveStatusWidget::Health::Ok;
    case PortkeySubscriber::State::Connecting:
    case PortkeySubscriber::State::Reconnecting: return LiveStatusWidget::Health::Warning;
    case PortkeySubscriber::State::Disconnected: return LiveStatusWidget::Health::Off;
    }
    return LiveStatusWidget::Health::Off;
}
} // namespace

void MainWindow::createLiveUi()
{
    m_live = new LiveController(this);
    m_liveStatus = new LiveStatusWidget(this);
    statusBar()->addPermanentWidget(m_liveStatus);

    m_liveAction = new QAction(tr("&Live"), this);
    m_liveAction->setObjectName(QStringLiteral("liveAction"));
    m_liveAction->setCheckable(true);
    m_liveAction->setIcon(liveIcon());
    m_liveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_liveAction->setToolTip(tr("Receive OTLP/HTTP traces while this is on (%1); port and access in Live > Receiver Settings")
                                 .arg(m_liveAction->shortcut().toString(QKeySequence::NativeText)));
    m_liveAction->setStatusTip(tr("Point any OpenTelemetry SDK at Spanscope and watch traces arrive"));
    connect(m_liveAction, &QAction::toggled, this, [this](bool on) {
        if (on != m_live->isReceiving())
            m_live->setReceiving(on);
    });

    m_followAction = new QAction(tr("&Follow Latest"), this);
    m_followAction->setObjectName(QStringLiteral("followLatestAction"));
    m_followAction->setCheckable(true);
    m_followAction->setChecked(Settings::instance().liveFollowLatest());
    m_followAction->setToolTip(tr("Open the newest trace as it arrives"));
    connect(m_followAction, &QAction::toggled, this, [this](bool on) {
        Settings::instance().setLiveFollowLatest(on);
        if (on && m_traceModel->rowCount() > 0)
            m_traceTable->selectRow(0);
    });

    if (auto *tb = findChild<QToolBar *>(QStringLiteral("mainToolBar"))) {
        tb->addSeparator();
        tb->addAction(m_liveAction);
        tb->addAction(m_followAction);
    }

    auto *menu = new QMenu(tr("&Live"), this);
    menu->setObjectName(QStringLiteral("liveMenu"));
    menu->addAction(m_liveAction);
    menu->addAction(m_followAction);
    QAction *copy = menu->addAction(tr("&Copy Endpoint URL"), this, [this] {
        QApplication::clipboard()->setText(m_live->endpoint());
        statusBar()->showMessage(tr("Copied %1 — set OTEL_EXPORTER_OTLP_ENDPOINT to it").arg(m_live->endpoint()), 5000);
    });
    QAction *receiverSettings = menu->addAction(tr("&Receiver Settings…"), this, &MainWindow::showReceiverDialog);
    receiverSettings->setObjectName(QStringLiteral("receiverSettingsAction"));
    menu->addSeparator();
    QAction *gateway = menu->addAction(tr("Connect to &Gateway…"), this, &MainWindow::showGatewayDialog);
    gateway->setObjectName(QStringLiteral("connectGatewayAction"));
    m_disconnectGatewayAction = menu->addAction(tr("&Disconnect Gateway"), this, [this] { m_live->disconnectGateway(); });
    m_disconnectGatewayAction->setEnabled(false);
    connect(menu, &QMenu::aboutToShow, this, [this, copy] { copy->setEnabled(m_live->isReceiving()); });
    // Before Help, which stays last.
    const QList<QAction *> menus = menuBar()->actions();
    menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), menu);

    // The empty workspace says how to send traces, too.
    if (auto *layout = qobject_cast<QVBoxLayout *>(m_emptyState->layout())) {
        auto *hint = new QLabel(tr("<p style='color:gray'>Or turn on <b>Live</b> in the toolbar and point any OpenTelemetry "
                                   "SDK at <code>http://127.0.0.1:4318</code> (OTLP/HTTP) — traces appear as they arrive.</p>"),
                                m_emptyState);
        hint->setObjectName(QStringLiteral("liveEmptyHint"));
        hint->setAlignment(Qt::AlignCenter);
        hint->setWordWrap(true);
        hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->insertWidget(layout->count() - 1, hint);
        connect(m_live, &LiveController::receiverStateChanged, hint, [hint](bool on, const QString &endpoint) {
            hint->setText(on ? tr("<p><b>Live is on.</b> Send OTLP/HTTP traces to <code>%1</code> — for example "
                                  "<code>OTEL_EXPORTER_OTLP_ENDPOINT=%1</code> — and they appear here as they arrive.</p>")
                                   .arg(endpoint.toHtmlEscaped())
                             : tr("<p style='color:gray'>Or turn on <b>Live</b> in the toolbar and point any OpenTelemetry "
                                  "SDK at <code>http://127.0.0.1:4318</code> (OTLP/HTTP) — traces appear as they arrive.</p>"));
        });
    }
    // Counts follow the stream: at most once a second, and once more after it goes quiet.
    m_liveCounts = new QTimer(this);
    m_liveCounts->setSingleShot(true);
    m_liveCounts->setInterval(int(kCountsEveryMs));
    connect(m_liveCounts, &QTimer::timeout, this, [this] {
        if (m_reader)
            m_reader->requestCounts();
    });

    m_liveTraceReload = new QTimer(this);
    m_liveTraceReload->setSingleShot(true);
    m_liveTraceReload->setInterval(kTraceReloadMs);
    connect(m_liveTraceReload, &QTimer::timeout, this, &MainWindow::reloadLiveTrace);

    connect(m_live, &LiveController::receiverStateChanged, this, [this](bool on, const QString &endpoint, const QString &error) {
        const QSignalBlocker block(m_liveAction);
        m_liveAction->setChecked(on);
        m_liveStatus->setReceiver(on, endpoint, error);
        if (!error.isEmpty())
            statusBar()->showMessage(error, 10000);
    });
    connect(m_live, &LiveController::activity, this, &MainWindow::onLiveActivity);
    connect(m_live, &LiveController::gatewayStateChanged, this, [this](PortkeySubscriber::State state, const QString &message) {
        const bool shown = m_live->isGatewayConnected();
        m_disconnectGatewayAction->setEnabled(shown);
        const qint64 events = m_live->service() ? m_live->service()->currentTotals().gatewayEvents : 0;
        m_liveStatus->setGateway(shown, healthOf(state), PortkeySubscriber::stateName(state), events,
                                 message + QLatin1Char('\n') + m_live->gatewayUrl().toString());
    });
    // Follow latest: the newest trace is opened as it is inserted at the top.
    connect(m_traceModel, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int) {
        if (first == 0 && m_followAction->isChecked() && m_live->isReceiving())
            m_traceTable->selectRow(0);
    });
    // A live reload of the open trace keeps the selected span.
    connect(this, &MainWindow::traceOpened, this, [this](const QString &) {
        if (m_liveReselectSpan.isEmpty() || !m_currentTrace)
            return;
        const int index = m_currentTrace->indexOf(m_liveReselectSpan);
        m_liveReselectSpan.clear();
        if (index >= 0)
            m_traceView->selectSpan(index);
    });
}

void MainWindow::updateLiveWorkspace()
{
    if (!m_live)
        return;
    m_live->setWorkspace(m_workspacePath);
    const QSignalBlocker block(m_liveAction);
    m_liveAction->setChecked(m_live->isReceiving());
    m_liveStatus->setReceiver(m_live->isReceiving(), m_live->endpoint());
}

void MainWindow::onLiveActivity(const LiveActivity &activity)
{
    m_liveStatus->setRates(activity.spansPerSecond, activity.totalSpans, activity.requests,
                           activity.rejectedRequests + activity.overloadedRequests);
    if (m_live->isGatewayConnected())
        m_liveStatus->setGateway(true, healthOf(m_live->gatewayState()), PortkeySubscriber::stateName(m_live->gatewayState()),
                                 activity.gatewayEvents, m_live->gatewayMessage() + QLatin1Char('\n') + m_live->gatewayUrl().toString());
    if (!activity.lastError.isEmpty())
        statusBar()->showMessage(tr("Live: could not store spans: %1").arg(activity.lastError), 10000);
    if (activity.touchedTraces.isEmpty())
        return;
    // New and grown traces: the first page is re-read and merged, never reset.
    m_traceModel->refreshHead();
    if (!m_liveCounts->isActive())
        m_liveCounts->start();
    if (!m_currentTraceId.isEmpty() && activity.touchedTraces.contains(m_currentTraceId) && !m_liveTraceReload->isActive())
        m_liveTraceReload->start();
}

void MainWindow::reloadLiveTrace()
{
    if (m_currentTraceId.isEmpty() || !m_reader)
        return;
    // Re-request in place: no loading overlay, the selected span is selected again on arrival.
    const int current = m_traceView->currentSpan();
    if (m_currentTrace && current >= 0 && current < m_currentTrace->size())
        m_liveReselectSpan = m_currentTrace->span(current).spanId;
    m_reader->requestTrace(++m_traceRequest, m_currentTraceId);
}

void MainWindow::showReceiverDialog()
{
    auto *dialog = new ReceiverDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const Settings &s = Settings::instance();
    dialog->setPort(s.liveReceiverPort());
    dialog->setAcceptRemote(s.liveReceiverAllowNonLoopback());
    m_live->readReceiverToken([dialog = QPointer<ReceiverDialog>(dialog)](const QString &token) {
        if (dialog && dialog->token().isEmpty())
            dialog->setToken(token);
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Settings &s = Settings::instance();
        s.setLiveReceiverPort(dialog->port());
        s.setLiveReceiverBindAddress(dialog->bindAddress());
        s.setLiveReceiverAllowNonLoopback(dialog->acceptRemote());
        m_live->setReceiverToken(dialog->acceptRemote() ? dialog->token() : QString());
        if (m_live->isReceiving()) {
            // Listen again with the new settings.
            m_live->setReceiving(false);
            m_live->setReceiving(true);
            m_liveAction->setChecked(m_live->isReceiving());
        }
        statusBar()->showMessage(tr("Receiver settings saved"), 3000);
    });
    dialog->open();
}

void MainWindow::showGatewayDialog()
{
    auto *dialog = new GatewayDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString last = Settings::instance().portkeyGatewayUrl();
    dialog->setUrl(last.isEmpty() ? QStringLiteral("http://127.0.0.1:8787") : last);
    dialog->setNote(tr("Tokens are stored in the system keychain, never in settings."));
    m_live->readGatewayToken([dialog = QPointer<GatewayDialog>(dialog)](const QString &token, const QString &note) {
        if (!dialog)
            return;
        dialog->setToken(token);
        dialog->setRememberToken(!token.isEmpty());
        dialog->setNote(note);
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_live->connectGateway(dialog->url(), dialog->token(), dialog->rememberToken());
        statusBar()->showMessage(tr("Subscribing to %1…").arg(dialog->url().toString()), 5000);
    });
    dialog->open();
}

} // namespace spanscope
