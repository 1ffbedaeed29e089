#include "mainwindow.h"
#include "trace/displaytext.h"

#include "importcontroller.h"
#include "livecontroller.h"
#include "store/storelocation.h"
#include "teamstoredialog.h"
#include "items/tracelistmodel.h"
#include "items/workspacereader.h"
#include "layout/timescale.h"
#include "export/exporter.h"
#include "export/tracewriter.h"
#include "widgets/compareview.h"
#include "widgets/dashboardview.h"
#include "widgets/spaninspector.h"
#include "widgets/tracefilterbar.h"
#include "widgets/traceview.h"
#include "widgets/waterfallpainter.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QPointer>
#include <QThread>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

namespace spanscope {

void MainWindow::applyTheme(Settings::Theme theme)
{
    // Qt 6.4 has no colour-scheme API: the platform theme's palette, captured before we replace
    // it, tells whether the desktop is dark.
    static const QPalette original = QApplication::palette();
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    bool dark = theme == Settings::Theme::Dark;
    if (theme == Settings::Theme::System)
        dark = original.color(QPalette::Window).lightness() < 128;
    QApplication::setPalette(spanscopePalette(dark));
}

MainWindow::MainWindow(const QString &workspacePath, QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setWindowIcon(QIcon(QStringLiteral(":/icons/spanscope.svg")));
    applyTheme(Settings::instance().theme());

    m_import = new ImportController(this);
    m_import->setPriceOverrideFile(Settings::instance().priceOverrideFile());
    m_traceModel = new TraceListModel(this);

    createActions();
    createCentral();
    createProblemsDock();
    createMenus();
    createStatusBar();
    createLiveUi();
    createDashboardUi();

    connect(m_import, &ImportController::started, this, &MainWindow::onImportStarted);
    connect(m_import, &ImportController::progress, this, &MainWindow::onImportProgress);
    connect(m_import, &ImportController::fileFinished, this, &MainWindow::onFileImported);
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportFinished);
    connect(m_import, &ImportController::spansCommitted, this, [this] {
        m_traceModel->refresh();
        if (m_reader)
            m_reader->requestCounts();
    });
    connect(&Settings::instance(), &Settings::themeChanged, this, [this](Settings::Theme t) {
        applyTheme(t);
        for (QAction *a : std::as_const(m_themeActions))
            a->setChecked(Settings::Theme(a->data().toInt()) == t);
    });

    restoreState();
    openWorkspace(workspacePath);
}

MainWindow::~MainWindow() = default;

// ----------------------------------------------------------------------------------------------

void MainWindow::createActions()
{
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Trace Files…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Import trace files into the workspace"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openFilesDialog);

    m_exportImageAction = new QAction(tr("Export Trace &Image…"), this);
    m_exportImageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportImageAction->setEnabled(false);
    connect(m_exportImageAction, &QAction::triggered, this, &MainWindow::exportImage);

    m_exportTracesAction = new QAction(tr("E&xport Selected Traces…"), this);
    m_exportTracesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportTracesAction->setStatusTip(tr("Write the selected traces as OTLP JSON, OTLP JSON lines or CSV"));
    m_exportTracesAction->setEnabled(false);
    connect(m_exportTracesAction, &QAction::triggered, this, &MainWindow::exportSelected);

    m_keepSecretsAction = new QAction(tr("Keep &Secrets When Importing"), this);
    m_keepSecretsAction->setCheckable(true);
    m_keepSecretsAction->setChecked(Settings::instance().keepSecretsOnImport());
    m_keepSecretsAction->setStatusTip(tr("Off (the default): API keys and credentials in imported traces are replaced by [REDACTED]"));
    m_import->setKeepSecrets(m_keepSecretsAction->isChecked());
    connect(m_keepSecretsAction, &QAction::toggled, this, [this](bool keep) {
        Settings::instance().setKeepSecretsOnImport(keep);
        m_import->setKeepSecrets(keep);
    });

    m_compareAction = new QAction(tr("&Compare Selected Traces"), this);
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_compareAction->setStatusTip(tr("Align two traces span by span and show what changed"));
    m_compareAction->setEnabled(false);
    connect(m_compareAction, &QAction::triggered, this, &MainWindow::compareSelected);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(&Settings::instance(), &Settings::recentFilesChanged, this, &MainWindow::updateRecentMenu);
    updateRecentMenu();
    file->addSeparator();
    file->addAction(tr("&New Workspace…"), this, &MainWindow::newWorkspaceDialog);
    file->addAction(tr("Open &Workspace…"), this, &MainWindow::openWorkspaceDialog);
    file->addAction(tr("Connect to &Team Store…"), this, [this] {
        // A PostgreSQL database as the workspace (teamstoredialog.h); the password goes to the
        // keychain or stays in memory, never into settings.
        TeamStoreDialog dialog(this);
        dialog.setUrl(StoreLocation::isPostgresUrl(m_workspacePath) ? m_workspacePath : Settings::instance().lastWorkspace());
        if (dialog.exec() != QDialog::Accepted)
            return;
        const QString url = dialog.url();
        if (!dialog.password().isEmpty())
            TraceStore::setPassword(url, dialog.password());
        if (dialog.rememberPassword() && !dialog.password().isEmpty()) {
            QPointer<MainWindow> self(this);
            teamstore::savePassword(url, dialog.password(), [self](bool ok, const QString &message) {
                if (self && !ok)
                    self->statusBar()->showMessage(
                        tr("No system keychain is available (%1): the password is kept for this session only.").arg(message),
                        10000);
            });
        }
        openWorkspace(url);
    })->setObjectName(QStringLiteral("connectTeamStoreAction"));
    file->addSeparator();
    file->addAction(m_exportTracesAction);
    file->addAction(m_exportImageAction);
    file->addSeparator();
    file->addAction(m_keepSecretsAction);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *filter = edit->addAction(tr("Search &Traces"), this, [this] { m_filterBar->focusSearch(); });
    filter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *find = edit->addAction(tr("&Find in Trace"), this, [this] { m_traceView->startSearch(); });
    find->setShortcut(QKeySequence::Find);
    QAction *clearFilters = edit->addAction(tr("&Clear Filters"), this, [this] { m_filterBar->clear(); });
    clearFilters->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));

    QMenu *traceMenu = menuBar()->addMenu(tr("&Trace"));
    traceMenu->addAction(m_compareAction);
    traceMenu->addAction(tr("Copy Trace &ID"), this, [this] {
        if (!m_currentTraceId.isEmpty())
            QGuiApplication::clipboard()->setText(m_currentTraceId);
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QAction *a : m_traceView->viewActions())
        view->addAction(a);
    view->addSeparator();
    QAction *refresh = view->addAction(tr("&Refresh"), this, [this] {
        m_traceModel->refresh();
        m_reader->requestCounts();
        refreshChoices();
    });
    refresh->setShortcut(QKeySequence::Refresh);
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    const std::pair<Settings::Theme, QString> themes[] = {
        {Settings::Theme::System, tr("Follow &System")},
        {Settings::Theme::Light, tr("&Light")},
        {Settings::Theme::Dark, tr("&Dark")},
    };
    for (const auto &[t, label] : themes) {
        QAction *a = theme->addAction(label);
        a->setCheckable(true);
        a->setData(int(t));
        a->setChecked(Settings::instance().theme() == t);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [t] { Settings::instance().setTheme(t); });
        m_themeActions << a;
    }
    view->addAction(m_problemsDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Spanscope"), this, &MainWindow::showAbout);

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setMovable(false);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(m_openAction);
    tb->addAction(m_compareAction);
}

void MainWindow::createCentral()
{
    m_stack = new QStackedWidget(this);

    // Empty state: what to do first.
    m_emptyState = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(m_emptyState);
    emptyLayout->addStretch(2);
    m_emptyLabel = new QLabel(m_emptyState);
    m_emptyLabel->setObjectName(QStringLiteral("workspaceEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::RichText);
    emptyLayout->addWidget(m_emptyLabel);
    auto *openButton = new QPushButton(tr("Open Trace Files…"), m_emptyState);
    openButton->setObjectName(QStringLiteral("workspaceEmptyOpen"));
    connect(openButton, &QPushButton::clicked, this, &MainWindow::openFilesDialog);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addStretch();
    buttonRow->addWidget(openButton);
    buttonRow->addStretch();
    emptyLayout->addLayout(buttonRow);
    emptyLayout->addStretch(3);
    m_stack->addWidget(m_emptyState);

    // Explorer: list on top, trace + inspector below.
    m_mainSplitter = new QSplitter(Qt::Vertical, m_stack);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    auto *listPane = new QWidget(m_mainSplitter);
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(0);
    m_filterBar = new TraceFilterBar(listPane);
    listLayout->addWidget(m_filterBar);
    m_traceTable = new QTableView(listPane);
    m_traceTable->setObjectName(QStringLiteral("traceTable"));
    m_traceTable->setModel(m_traceModel);
    m_traceTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_traceTable->setSortingEnabled(true);
    m_traceTable->sortByColumn(TraceListModel::StartColumn, Qt::DescendingOrder);
    m_traceTable->setAlternatingRowColors(true);
    m_traceTable->setWordWrap(false);
    m_traceTable->setShowGrid(false);
    m_traceTable->verticalHeader()->hide();
    m_traceTable->verticalHeader()->setDefaultSectionSize(m_traceTable->fontMetrics().height() + 8);
    m_traceTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_traceTable->horizontalHeader()->setSectionsMovable(true);
    m_traceTable->horizontalHeader()->setHighlightSections(false);
    m_traceTable->horizontalHeader()->setStretchLastSection(true);
    m_traceTable->setColumnWidth(TraceListModel::NameColumn, 260);
    m_traceTable->setColumnWidth(TraceListModel::StartColumn, 170);
    m_traceTable->setColumnWidth(TraceListModel::ModelsColumn, 180);
    m_traceTable->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_traceTable->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        // Column chooser.
        QMenu menu;
        for (int c = 0; c < TraceListModel::ColumnCount; ++c) {
            QAction *a = menu.addAction(m_traceModel->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_traceTable->isColumnHidden(c));
            a->setEnabled(c != TraceListModel::NameColumn);
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_traceTable->setColumnHidden(c, !on); });
        }
        menu.exec(m_traceTable->horizontalHeader()->mapToGlobal(pos));
    });
    listLayout->addWidget(m_traceTable);
    m_listStatus = new QLabel(listPane);
    m_listStatus->setObjectName(QStringLiteral("listStatus"));
    m_listStatus->setContentsMargins(6, 2, 6, 2);
    listLayout->addWidget(m_listStatus);

    m_detailSplitter = new QSplitter(Qt::Horizontal, m_mainSplitter);
    m_detailSplitter->setObjectName(QStringLiteral("detailSplitter"));
    m_traceView = new TraceView(m_detailSplitter);
    m_inspector = new SpanInspector(m_detailSplitter);
    m_detailSplitter->setStretchFactor(0, 3);
    m_detailSplitter->setStretchFactor(1, 2);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 5);
    m_stack->addWidget(m_mainSplitter);
    setCentralWidget(m_stack);

    connect(m_filterBar, &TraceFilterBar::queryChanged, m_traceModel, &TraceListModel::setQuery);
    connect(m_traceTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onTraceSelected);
    connect(m_traceTable->selectionModel(), &QItemSelectionModel::selectionChanged,
            this, &MainWindow::updateSelectionActions);
    m_traceTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_traceTable, &QWidget::customContextMenuRequested, this, &MainWindow::showTraceListMenu);
    // Refreshes (imports, live traffic, F5) reset the model; the selection follows the trace ids, so
    // a multi-selection for Compare or Export survives new traces arriving.
    connect(m_traceModel, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_selectionBeforeReset = selectedTraceIds();
    });
    connect(m_traceModel, &QAbstractItemModel::modelReset, this, [this] {
        QItemSelectionModel *sel = m_traceTable->selectionModel();
        {
            const QSignalBlocker block(sel);
            QItemSelection restored;
            for (const QString &id : std::as_const(m_selectionBeforeReset)) {
                const int row = m_traceModel->rowOfTrace(id);
                if (row >= 0)
                    restored.select(m_traceModel->index(row, 0), m_traceModel->index(row, TraceListModel::ColumnCount - 1));
            }
            const int current = m_traceModel->rowOfTrace(m_currentTraceId);
            if (current >= 0) {
                sel->setCurrentIndex(m_traceModel->index(current, 0), QItemSelectionModel::NoUpdate);
                if (restored.isEmpty())
                    restored.select(m_traceModel->index(current, 0), m_traceModel->index(current, TraceListModel::ColumnCount - 1));
            }
            sel->select(restored, QItemSelectionModel::ClearAndSelect);
        }
        m_selectionBeforeReset.clear();
        updateSelectionActions();
        m_traceTable->viewport()->update();
    });
    connect(m_traceModel, &TraceListModel::totalCountChanged, this, [this](qint64 total) {
        const bool filtering = m_filterBar->isFiltering();
        m_listStatus->setText(filtering ? formatCount(total, tr("trace matches", "count"), tr("traces match", "count")) + tr(" the filters")
                                        : formatCount(total, tr("trace"), tr("traces")));
        if (total > 0 && !m_traceTable->currentIndex().isValid() && m_currentTraceId.isEmpty())
            m_traceTable->selectRow(0);
    });
    connect(m_traceView, &TraceView::currentSpanChanged, this, &MainWindow::onSpanSelected);
    connect(m_traceView, &TraceView::inspectorFocusRequested, this, [this] { m_inspector->setFocus(Qt::OtherFocusReason); });
}

void MainWindow::createStatusBar()
{
    m_workspaceLabel = new QLabel(this);
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_importLabel = new QLabel(this);
    m_importProgress = new QProgressBar(this);
    m_importProgress->setRange(0, 1000);
    m_importProgress->setMaximumWidth(220);
    m_importProgress->setTextVisible(false);
    m_cancelImport = new QPushButton(tr("Cancel"), this);
    m_cancelImport->setObjectName(QStringLiteral("cancelImport"));
    m_cancelImport->setToolTip(tr("Stop the import (Esc); spans already imported stay"));
    connect(m_cancelImport, &QPushButton::clicked, m_import, &ImportController::cancel);
    auto *esc = new QAction(this);
    esc->setShortcut(Qt::Key_Escape);
    esc->setShortcutContext(Qt::WindowShortcut);
    connect(esc, &QAction::triggered, this, [this] {
        if (m_import->isRunning())
            m_import->cancel();
    });
    addAction(esc);
    statusBar()->addWidget(m_workspaceLabel, 1);
    statusBar()->addPermanentWidget(m_importLabel);
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_cancelImport);
    statusBar()->addPermanentWidget(m_countsLabel);
    m_importLabel->hide();
    m_importProgress->hide();
    m_cancelImport->hide();
}

void MainWindow::createProblemsDock()
{
    m_problemsDock = new QDockWidget(tr("Import Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsTable = new QTableWidget(0, 4, m_problemsDock);
    m_problemsTable->setObjectName(QStringLiteral("problemsTable"));
    m_problemsTable->setHorizontalHeaderLabels({tr("Severity"), tr("File"), tr("Position"), tr("Reason")});
    m_problemsTable->horizontalHeader()->setStretchLastSection(true);
    m_problemsTable->verticalHeader()->hide();
    m_problemsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemsTable->setWordWrap(false);
    m_problemsDock->setWidget(m_problemsTable);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    m_problemsDock->hide();
}

// ----------------------------------------------------------------------------------------------

bool MainWindow::openWorkspace(const QString &requested)
{
    if (m_import->isRunning()) {
        QMessageBox::information(this, tr("Import running"), tr("Wait for the import to finish (or cancel it) before switching workspaces."));
        return false;
    }
    // A team store (postgresql://…): its password never reaches settings or titles. One in the URL is
    // remembered by TraceStore for this process; else the keychain may have one.
    const QString path = teamstore::withoutPassword(requested);
    if (path != requested) {
        TraceStore probe;
        probe.open(requested);  // remembers the URL's password
    } else if (StoreLocation::isPostgresUrl(path)) {
        const QString saved = teamstore::readPassword(path);
        if (!saved.isEmpty())
            TraceStore::setPassword(path, saved);
    }
    // Probe on this thread: a quick open that refuses foreign files before the reader starts. It
    // also upgrades a workspace of an older version (about 3 s per 1,000,000 spans for schema 5).
    {
        TraceStore probe;
        QApplication::setOverrideCursor(Qt::WaitCursor);
        const bool opened = probe.open(path);
        QApplication::restoreOverrideCursor();
        if (!opened) {
            QMessageBox::warning(this, tr("Cannot open workspace"), probe.lastError());
            if (!m_workspacePath.isEmpty())
                return false;
        }
    }
    m_workspacePath = path;
    m_autoIndexAsked = false;
    Settings::instance().setLastWorkspace(path);
    m_import->setWorkspace(path);
    delete m_reader;
    m_reader = new WorkspaceReader(path, this);
    connect(m_reader, &WorkspaceReader::countsReady, this, &MainWindow::updateCounts);
    connect(m_reader, &WorkspaceReader::choicesReady, m_filterBar, &TraceFilterBar::setChoices);
    connect(m_reader, &WorkspaceReader::traceReady, this,
            [this](quint64 id, std::shared_ptr<const Trace> trace, const TraceSummary &summary) {
                if (id != m_traceRequest)
                    return;
                m_currentTrace = trace;
                m_traceView->setTrace(trace, summary);
                m_exportImageAction->setEnabled(trace && !trace->isEmpty());
                Q_EMIT traceOpened(summary.traceId);
            });
    connect(m_reader, &WorkspaceReader::comparisonReady, this,
            [this](quint64 id, std::shared_ptr<const Trace> a, const TraceSummary &sa, std::shared_ptr<const Trace> b,
                   const TraceSummary &sb, std::shared_ptr<const TraceComparison> comparison) {
                if (id != m_compareRequest)
                    return;
                QApplication::restoreOverrideCursor();
                // Each comparison gets its own window so several can stay open side by side.
                auto *window = new QWidget(this, Qt::Window);
                window->setAttribute(Qt::WA_DeleteOnClose);
                window->setObjectName(QStringLiteral("compareWindow"));
                window->setWindowTitle(tr("Compare: %1 ↔ %2 — Spanscope")
                                           .arg(sa.name.isEmpty() ? sa.traceId.left(8) : displayLine(sa.name, 100),
                                                sb.name.isEmpty() ? sb.traceId.left(8) : displayLine(sb.name, 100)));
                auto *layout = new QVBoxLayout(window);
                layout->setContentsMargins(0, 0, 0, 0);
                auto *view = new CompareView(window);
                layout->addWidget(view);
                view->setTraces(a, sa, b, sb, *comparison);
                window->resize(std::max(1100, width() - 80), std::max(700, height() - 80));
                window->show();
                Q_EMIT comparisonShown(window);
            });
    connect(m_reader, &WorkspaceReader::spanDetailsReady, this, [this](quint64 id, const Span &span) {
        if (id != m_detailRequest)
            return;
        m_inspector->setLoading(false);
        m_inspector->setSpan(span, m_currentTrace ? m_currentTrace->startNs() : span.startNs);
    });
    m_currentTraceId.clear();
    m_currentTrace.reset();
    m_traceView->clear();
    m_inspector->clear();
    m_traceModel->setReader(m_reader);
    if (m_dashboard)
        m_dashboard->setReader(m_reader);
    updateLiveWorkspace();
    m_workspaceLabel->setText(tr("Workspace: %1").arg(QDir::toNativeSeparators(path)));
    m_workspaceLabel->setToolTip(QDir::toNativeSeparators(path));
    if (StoreLocation::isPostgresUrl(path)) {
        // Others write to a team store: look for new spans every few seconds and reload the list
        // when there are (as live traffic does). The timer goes with the reader.
        auto *poll = new QTimer(m_reader);
        poll->setObjectName(QStringLiteral("teamStorePoll"));
        poll->setInterval(5000);
        auto known = std::make_shared<qint64>(-1);
        connect(poll, &QTimer::timeout, m_reader, [this] { m_reader->requestCounts(); });
        connect(m_reader, &WorkspaceReader::countsReady, poll, [this, known](const WorkspaceCounts &counts) {
            if (*known >= 0 && counts.spans != *known && !m_import->isRunning())
                m_traceModel->refresh();
            *known = counts.spans;
        });
        poll->start();
        const StoreLocation team = StoreLocation::parse(path);
        setWindowTitle(tr("%1 on %2 (team store) — Spanscope")
                           .arg(team.schema.isEmpty() ? team.database : team.database + QLatin1Char('.') + team.schema,
                                team.host.isEmpty() ? tr("this machine") : team.host));
    } else {
        setWindowTitle(QStringLiteral("%1 — Spanscope").arg(QFileInfo(path).fileName()));
    }
    m_reader->requestCounts();
    refreshChoices();
    return true;
}

void MainWindow::refreshChoices()
{
    if (m_reader)
        m_reader->requestChoices();
}

void MainWindow::updateCounts(const WorkspaceCounts &counts)
{
    QString text = formatCount(counts.traces, tr("trace"), tr("traces")) + QStringLiteral(" · ")
        + formatCount(counts.spans, tr("span"), tr("spans"));
    if (counts.pendingFullText > 0)
        text += QStringLiteral(" · ") + tr("indexing %1 for search…").arg(formatCount(counts.pendingFullText, tr("span"), tr("spans")));
    m_countsLabel->setText(text);
    // While live ingest runs, its writer indexes what it deferred itself, in its pauses: a second
    // indexer would only contend with it for the workspace.
    const bool liveWriting = m_live && (m_live->isReceiving() || m_live->isGatewayConnected());
    if (counts.pendingFullText > 0 && !m_autoIndexAsked && !m_import->isRunning() && !liveWriting) {
        m_autoIndexAsked = true;
        m_import->indexPending();
    }
    if (counts.traces != m_knownTraceCount) {
        m_knownTraceCount = counts.traces;
        refreshChoices();
    }
    updateEmptyState();
}

void MainWindow::updateEmptyState()
{
    const bool empty = m_knownTraceCount == 0;
    if (empty) {
        m_emptyLabel->setText(m_import->isRunning()
                                  ? tr("<h2>Importing…</h2><p>Traces appear here as soon as their spans are stored.</p>")
                                  : tr("<h2>Drop trace files here</h2>"
                                       "<p>OTLP JSON, JSON lines or protobuf (also gzip-compressed) — or press <b>%1</b> to "
                                       "choose files.</p><p style='color:gray'>Everything stays on this machine, in the "
                                       "workspace file shown in the status bar.</p>")
                                        .arg(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText)));
    }
    m_stack->setCurrentWidget(empty ? m_emptyState : static_cast<QWidget *>(m_mainSplitter));
}

void MainWindow::importFiles(const QStringList &files)
{
    QStringList existing;
    for (const QString &f : files) {
        const QFileInfo fi(f);
        if (fi.isDir()) {
            for (const QFileInfo &child : QDir(f).entryInfoList(QDir::Files, QDir::Name))
                existing << child.absoluteFilePath();
        } else {
            existing << fi.absoluteFilePath();
            Settings::instance().addRecentFile(fi.absoluteFilePath());
        }
    }
    if (!existing.isEmpty())
        m_import->importFiles(existing);
}

bool MainWindow::isImporting() const
{
    return m_import->isRunning();
}

void MainWindow::onImportStarted(const QStringList &files)
{
    m_autoIndexAsked = true;
    m_indexOnlyRun = files.isEmpty();
    m_importLabel->setText(m_indexOnlyRun ? tr("Indexing for search…")
                                          : tr("Importing %1…").arg(formatCount(files.size(), tr("file"), tr("files"))));
    m_importProgress->setValue(0);
    m_importLabel->show();
    m_importProgress->show();
    m_cancelImport->show();
    updateEmptyState();
}

void MainWindow::onImportProgress(double fraction, const QString &what)
{
    m_importLabel->setText(what);
    m_importProgress->setValue(int(fraction * 1000));
}

void MainWindow::onFileImported(const FileImportReport &report)
{
    QList<ImportIssue> issues = report.result.issues;
    if (!report.storeError.isEmpty())
        issues.push_back({ImportIssue::Severity::Error, report.result.file, -1, -1, report.storeError});
    if (issues.isEmpty()) {
        statusBar()->showMessage(tr("Imported %1 from %2").arg(formatCount(report.storedSpans, tr("span"), tr("spans")), QFileInfo(report.result.file).fileName()), 8000);
        return;
    }
    for (const ImportIssue &issue : std::as_const(issues)) {
        const int row = m_problemsTable->rowCount();
        m_problemsTable->insertRow(row);
        const bool error = issue.severity == ImportIssue::Severity::Error;
        auto *sev = new QTableWidgetItem(error ? tr("Error") : tr("Warning"));
        sev->setIcon(style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning));
        m_problemsTable->setItem(row, 0, sev);
        auto *file = new QTableWidgetItem(QFileInfo(issue.file).fileName());
        file->setToolTip(issue.file);
        m_problemsTable->setItem(row, 1, file);
        const QString pos = issue.line >= 0 ? tr("line %1").arg(issue.line)
            : issue.offset >= 0             ? tr("byte %1").arg(issue.offset)
                                            : QString();
        m_problemsTable->setItem(row, 2, new QTableWidgetItem(pos));
        auto *reason = new QTableWidgetItem(issue.reason);
        reason->setToolTip(issue.toString());
        m_problemsTable->setItem(row, 3, reason);
    }
    m_problemsTable->resizeColumnsToContents();
    m_problemsDock->show();
    statusBar()->showMessage(tr("%1: %2 imported, with problems (see Import Problems)")
                                 .arg(QFileInfo(report.result.file).fileName(), formatCount(report.storedSpans, tr("span"), tr("spans"))),
                             10000);
}

void MainWindow::onImportFinished(bool cancelled)
{
    m_importLabel->hide();
    m_importProgress->hide();
    m_cancelImport->hide();
    if (cancelled && m_indexOnlyRun)
        statusBar()->showMessage(tr("Indexing for search stopped; it goes on the next time this workspace is opened."), 8000);
    else if (cancelled)
        statusBar()->showMessage(tr("Import cancelled; the spans imported so far are kept."), 8000);
    m_indexOnlyRun = false;
    m_traceModel->refresh();
    m_reader->requestCounts();
    refreshChoices();
    Q_EMIT importFinished();
}

void MainWindow::onTraceSelected()
{
    const QModelIndex current = m_traceTable->currentIndex();
    const QString id = current.isValid() ? m_traceModel->data(current, TraceListModel::TraceIdRole).toString() : QString();
    if (id.isEmpty() || id == m_currentTraceId)
        return;
    openTrace(id);
}

void MainWindow::updateSelectionActions()
{
    const int n = int(selectedTraceIds().size());
    m_compareAction->setEnabled(n == 2);
    m_exportTracesAction->setEnabled(n > 0);
}

QStringList MainWindow::selectedTraceIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_traceTable->selectionModel()->selectedRows();
    for (const QModelIndex &r : rows) {
        const QString id = m_traceModel->data(r, TraceListModel::TraceIdRole).toString();
        if (!id.isEmpty())
            ids << id;
    }
    return ids;
}

void MainWindow::compareSelected()
{
    const QStringList ids = selectedTraceIds();
    if (ids.size() != 2) {
        statusBar()->showMessage(tr("Select exactly two traces to compare (Ctrl+click)."), 5000);
        return;
    }
    // The earlier trace is the baseline (A).
    QString a = ids[0], b = ids[1];
    const int ra = m_traceModel->rowOfTrace(a), rb = m_traceModel->rowOfTrace(b);
    const TraceSummary *sa = m_traceModel->summaryAt(ra), *sb = m_traceModel->summaryAt(rb);
    if (sa && sb && sb->startNs < sa->startNs)
        std::swap(a, b);
    QApplication::setOverrideCursor(Qt::BusyCursor);
    statusBar()->showMessage(tr("Aligning the two traces…"), 3000);
    m_reader->requestComparison(++m_compareRequest, a, b);
}

void MainWindow::exportSelected()
{
    const QStringList ids = selectedTraceIds();
    if (ids.isEmpty())
        return;
    QString selectedFilter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1").arg(formatCount(ids.size(), tr("Trace"), tr("Traces"))), Settings::instance().lastOpenDirectory(),
        tr("OTLP JSON (*.json);;OTLP JSON lines (*.jsonl);;CSV, one row per span (*.csv)"), &selectedFilter);
    if (path.isEmpty())
        return;
    exportTraces(ids, path);
}

void MainWindow::exportTraces(const QStringList &traceIds, const QString &path)
{
    const std::optional<ExportFormat> format = exportFormatForPath(path);
    if (!format) {
        QMessageBox::warning(this, tr("Export"), tr("Choose a file ending in .json, .jsonl or .csv."));
        return;
    }
    statusBar()->showMessage(tr("Exporting %1…").arg(formatCount(traceIds.size(), tr("trace"), tr("traces"))));
    const QString workspace = m_workspacePath;
    QPointer<MainWindow> self(this);
    QThread *thread = QThread::create([=] {
        TraceStore store;
        QString error;
        const bool ok = store.open(workspace) && spanscope::exportTraces(store, traceIds, *format, path, &error);
        if (error.isEmpty() && !ok)
            error = store.lastError();
        QMetaObject::invokeMethod(self.data(), [self, ok, error, path, n = traceIds.size()] {
            if (!self)
                return;
            const QString message = ok ? tr("Exported %1 to %2").arg(formatCount(n, tr("trace"), tr("traces")), path) : error;
            if (ok)
                self->statusBar()->showMessage(message, 8000);
            else
                QMessageBox::warning(self, tr("Export failed"), message);
            Q_EMIT self->exportFinished(ok, message);
        }, Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void MainWindow::showTraceListMenu(const QPoint &pos)
{
    const QModelIndex index = m_traceTable->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu;
    menu.addAction(m_compareAction);
    menu.addAction(m_exportTracesAction);
    const QString id = m_traceModel->data(index, TraceListModel::TraceIdRole).toString();
    menu.addAction(tr("Copy Trace ID"), this, [id] { QGuiApplication::clipboard()->setText(id); });
    menu.exec(m_traceTable->viewport()->mapToGlobal(pos));
}

void MainWindow::openTrace(const QString &traceId)
{
    m_currentTraceId = traceId;
    m_inspector->clear();
    m_traceView->setLoading(true);
    m_reader->requestTrace(++m_traceRequest, traceId);
}

void MainWindow::onSpanSelected(int spanIndex)
{
    if (!m_currentTrace || spanIndex < 0 || spanIndex >= m_currentTrace->size()) {
        m_inspector->clear();
        return;
    }
    m_inspector->setLoading(true);
    m_reader->requestSpanDetails(++m_detailRequest, m_currentTrace->span(spanIndex));
}

// ----------------------------------------------------------------------------------------------

void MainWindow::openFilesDialog()
{
    const QString dir = Settings::instance().lastOpenDirectory();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open Trace Files"), dir,
        tr("Trace files (*.json *.jsonl *.ndjson *.gz *.pb *.binpb *.protobuf);;All files (*)"));
    if (files.isEmpty())
        return;
    Settings::instance().setLastOpenDirectory(QFileInfo(files.first()).absolutePath());
    importFiles(files);
}

void MainWindow::newWorkspaceDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New Workspace"), QFileInfo(m_workspacePath).absolutePath(),
                                                      tr("Spanscope workspace (*.sqlite)"));
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("New Workspace"), tr("%1 already exists; use Open Workspace to open it.").arg(path));
        return;
    }
    openWorkspace(path);
}

void MainWindow::openWorkspaceDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QFileInfo(m_workspacePath).absolutePath(),
                                                      tr("Spanscope workspace (*.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Settings::instance().recentFiles();
    for (const QString &f : files) {
        QAction *a = m_recentMenu->addAction(QFileInfo(f).fileName());
        a->setToolTip(f);
        a->setStatusTip(f);
        connect(a, &QAction::triggered, this, [this, f] { importFiles({f}); });
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [] { Settings::instance().clearRecentFiles(); });
    }
}

void MainWindow::exportImage()
{
    if (!m_currentTrace)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Trace Image"), Settings::instance().lastOpenDirectory(),
                                                      tr("PNG image (*.png);;SVG image (*.svg)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_traceView->exportImage(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}

void MainWindow::showShortcuts()
{
    auto *browser = new QTextBrowser;
    browser->setAttribute(Qt::WA_DeleteOnClose);
    browser->setWindowTitle(tr("Keyboard Shortcuts — Spanscope"));
    const auto key = [](const QKeySequence &k) { return k.toString(QKeySequence::NativeText).toHtmlEscaped(); };
    const QList<std::pair<QString, QString>> rows = {
        {key(QKeySequence::Open), tr("Open trace files")},
        {key(QKeySequence(Qt::CTRL | Qt::Key_L)), tr("Search traces (full text)")},
        {key(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)), tr("Clear the trace filters")},
        {key(QKeySequence::Find), tr("Find in the open trace; Enter / Shift+Enter for next / previous match")},
        {tr("F3 / Shift+F3"), tr("Next / previous match")},
        {tr("Up / Down"), tr("Previous / next span")},
        {tr("Left / Right"), tr("Collapse / expand")},
        {QStringLiteral("*"), tr("Expand all below the current span")},
        {QStringLiteral("n / Shift+N"), tr("Next / previous error span")},
        {tr("Enter"), tr("Focus the inspector")},
        {tr("Ctrl+Wheel, + / −"), tr("Zoom the waterfall")},
        {tr("Drag on the ruler, Shift+drag"), tr("Zoom to the selected time range")},
        {tr("Double-click a bar"), tr("Zoom to that span")},
        {QStringLiteral("0"), tr("Fit the trace")},
        {tr("Shift+Wheel, drag"), tr("Pan the waterfall")},
        {QStringLiteral("c"), tr("Highlight the critical path")},
        {key(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)), tr("Export the trace view as PNG or SVG")},
        {key(QKeySequence(Qt::CTRL | Qt::Key_D)), tr("Compare the two selected traces span by span")},
        {key(QKeySequence(Qt::CTRL | Qt::Key_E)), tr("Export the selected traces (OTLP JSON, JSON lines, CSV)")},
        {tr("Esc"), tr("Cancel the running import")},
        {key(QKeySequence::Refresh), tr("Refresh the trace list")},
        {key(QKeySequence::HelpContents), tr("This help")},
    };
    QString html = QStringLiteral("<h3>%1</h3><table cellpadding='4'>").arg(tr("Keyboard shortcuts"));
    for (const auto &[k, what] : rows)
        html += QStringLiteral("<tr><td><b><code>%1</code></b></td><td>%2</td></tr>").arg(k, what.toHtmlEscaped());
    html += QStringLiteral("</table>");
    browser->setHtml(html);
    browser->resize(560, 560);
    browser->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Spanscope"),
                       tr("<h3>Spanscope %1</h3><p>A native explorer for LLM and agent traces.</p>"
                          "<p>Model prices from <i>genai-prices</i> (Pydantic, MIT licence).</p>")
                           .arg(QStringLiteral(SPANSCOPE_VERSION)));
}

// ----------------------------------------------------------------------------------------------

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    if (!files.isEmpty()) {
        importFiles(files);
        event->acceptProposedAction();
    }
}

void MainWindow::restoreState()
{
    Settings &s = Settings::instance();
    if (!restoreGeometry(s.windowGeometry()))
        resize(1440, 900);
    QMainWindow::restoreState(s.windowState());
    m_mainSplitter->restoreState(s.splitterState(QStringLiteral("main")));
    m_detailSplitter->restoreState(s.splitterState(QStringLiteral("detail")));
    m_traceTable->horizontalHeader()->restoreState(s.headerState(QStringLiteral("traceList")));
    m_traceView->restoreState(s.splitterState(QStringLiteral("traceView")));
}

void MainWindow::saveState()
{
    Settings &s = Settings::instance();
    s.setWindowGeometry(saveGeometry(), QMainWindow::saveState());
    s.setSplitterState(QStringLiteral("main"), m_mainSplitter->saveState());
    s.setSplitterState(QStringLiteral("detail"), m_detailSplitter->saveState());
    s.setHeaderState(QStringLiteral("traceList"), m_traceTable->horizontalHeader()->saveState());
    s.setSplitterState(QStringLiteral("traceView"), m_traceView->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    m_import->cancel();
    QMainWindow::closeEvent(event);
}

} // namespace spanscope
