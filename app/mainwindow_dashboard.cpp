// The dashboard page next to the explorer, drill-downs from its charts into the trace list, and
// Settings > Prices… with "Recompute costs".
#include "mainwindow.h"

#include "importcontroller.h"
#include "items/dashboardmodel.h"
#include "items/tracelistmodel.h"
#include "widgets/dashboarddrillbar.h"
#include "widgets/dashboardview.h"
#include "widgets/pricetabledialog.h"
#include "widgets/pricetablejob.h"
#include "widgets/tracefilterbar.h"
#include "widgets/traceview.h"

#include <QAction>
#include <QDir>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace spanscope {

namespace {

QMenu *menuTitled(QMenuBar *bar, const QString &title)
{
    for (QAction *a : bar->actions()) {
        if (a->menu() && a->text() == title)
            return a->menu();
    }
    return nullptr;
}

} // namespace

void MainWindow::createDashboardUi()
{
    // Explorer (or its empty state) and dashboard as two pages under one filter bar: both show
    // the traces it selects.
    QWidget *explorer = takeCentralWidget();
    QWidget *listPane = m_filterBar->parentWidget();
    if (auto *listLayout = qobject_cast<QVBoxLayout *>(listPane->layout())) {
        listLayout->removeWidget(m_filterBar);
        m_drillBar = new DashboardDrillBar(listPane);
        listLayout->insertWidget(0, m_drillBar);
    } else {
        m_drillBar = new DashboardDrillBar(this);
    }
    m_dashboard = new DashboardView;
    m_pages = new QTabWidget;
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(explorer, tr("Explorer"));
    m_pages->addTab(m_dashboard, tr("Dashboard"));
    auto *central = new QWidget;
    auto *v = new QVBoxLayout(central);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    v->addWidget(m_filterBar);
    v->addWidget(m_pages, 1);
    setCentralWidget(central);
    // Nothing to filter in an empty workspace.
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] { m_filterBar->setVisible(m_stack->currentWidget() != m_emptyState); });

    auto *explorerAction = new QAction(tr("&Explorer"), this);
    explorerAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(explorerAction, &QAction::triggered, this, &MainWindow::showExplorer);
    auto *dashboardAction = new QAction(tr("&Dashboard"), this);
    dashboardAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    dashboardAction->setStatusTip(tr("Cost, tokens, requests, errors and latency of the filtered traces"));
    connect(dashboardAction, &QAction::triggered, this, &MainWindow::showDashboard);
    if (QMenu *view = menuTitled(menuBar(), tr("&View"))) {
        QAction *first = view->actions().value(0);
        view->insertAction(first, explorerAction);
        view->insertAction(first, dashboardAction);
        view->insertSeparator(first);
    } else {
        addAction(explorerAction);
        addAction(dashboardAction);
    }
    auto *prices = new QAction(tr("&Prices…"), this);
    prices->setObjectName(QStringLiteral("pricesAction"));
    prices->setStatusTip(tr("Edit model prices, import LiteLLM or genai-prices files, recompute costs"));
    connect(prices, &QAction::triggered, this, [this] { showPricesDialog(); });
    auto *settings = new QMenu(tr("&Settings"), this);
    settings->addAction(prices);
    QMenu *help = menuTitled(menuBar(), tr("&Help"));
    menuBar()->insertMenu(help ? help->menuAction() : nullptr, settings);

    m_dashboard->setQuery(m_filterBar->query());
    connect(m_filterBar, &TraceFilterBar::queryChanged, this, [this](const TraceQuery &q) {
        // The filter bar's own query is on the list again (TraceListModel got it first).
        m_drillBar->hide();
        m_dashboard->setQuery(q);
    });
    connect(m_dashboard, &DashboardView::tracesRequested, this, &MainWindow::showTracesBehind);
    connect(m_drillBar, &DashboardDrillBar::backRequested, this, &MainWindow::showDashboard);
    connect(m_drillBar, &DashboardDrillBar::dismissed, this, [this] { m_traceModel->setQuery(m_filterBar->query()); });
    // New spans (imports, live): the dashboard asks again, at most one request at a time, and only
    // while it is shown.
    connect(m_import, &ImportController::spansCommitted, m_dashboard, &DashboardView::refresh);
    connect(m_import, &ImportController::finished, m_dashboard, &DashboardView::refresh);
    connect(m_traceModel, &QAbstractItemModel::rowsInserted, m_dashboard, &DashboardView::refresh);

    m_priceJob = new PriceTableJob(this);
    connect(m_priceJob, &PriceTableJob::progress, this, [this](double f) {
        statusBar()->showMessage(tr("Recomputing costs… %1 %").arg(int(f * 100)));
        if (m_pricesDialog)
            m_pricesDialog->setRecomputeProgress(f);
    });
    connect(m_priceJob, &PriceTableJob::finished, this, [this](bool ok, qint64 changed, const QString &message) {
        statusBar()->showMessage(message, 10000);
        if (m_pricesDialog) {
            m_pricesDialog->setRecomputeProgress(-1);
            m_pricesDialog->setStatus(message);
        }
        m_traceModel->refresh();
        m_dashboard->refresh();
        if (!m_currentTraceId.isEmpty())
            openTrace(m_currentTraceId);
        Q_EMIT costsRecomputed(ok, changed, message);
    });
}

void MainWindow::showExplorer()
{
    m_pages->setCurrentIndex(0);
}

void MainWindow::showDashboard()
{
    m_pages->setCurrentWidget(m_dashboard);
}

void MainWindow::showTracesBehind(const TraceQuery &query, const QString &description)
{
    m_traceModel->setQuery(query);
    m_drillBar->showDrillDown(description);
    showExplorer();
    m_traceTable->setFocus(Qt::OtherFocusReason);
}

QString MainWindow::priceOverridesPath() const
{
    const QString configured = Settings::instance().priceOverrideFile();
    if (!configured.isEmpty())
        return configured;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/price-overrides.json");
}

PriceTableDialog *MainWindow::showPricesDialog()
{
    if (m_pricesDialog) {
        m_pricesDialog->raise();
        m_pricesDialog->activateWindow();
        return m_pricesDialog;
    }
    auto *dialog = new PriceTableDialog(priceOverridesPath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const auto report = m_dashboard->model()->report())
        dialog->setMissingModels(report->totals.unpricedModels);
    connect(dialog, &PriceTableDialog::saved, this, [this](const QString &path) {
        Settings::instance().setPriceOverrideFile(path);
        m_import->setPriceOverrideFile(path);
    });
    connect(dialog, &PriceTableDialog::recomputeRequested, this, &MainWindow::recomputeCosts);
    connect(dialog, &PriceTableDialog::recomputeCancelled, m_priceJob, &PriceTableJob::cancel);
    if (m_priceJob->isRunning())
        dialog->setRecomputeProgress(0);
    m_pricesDialog = dialog;
    dialog->show();
    return dialog;
}

void MainWindow::recomputeCosts(const QString &overridesPath)
{
    if (m_priceJob->isRunning())
        return;
    if (!m_priceJob->start(m_workspacePath, overridesPath))
        return;
    statusBar()->showMessage(tr("Recomputing costs…"));
    if (m_pricesDialog)
        m_pricesDialog->setRecomputeProgress(0);
}

} // namespace spanscope
