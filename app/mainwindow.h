#pragma once

#include "settings.h"
#include "store/tracestore.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTableWidget;
class QTimer;
class QDockWidget;
class QTabWidget;

namespace spanscope {

class DashboardDrillBar;
class DashboardView;
class ImportController;
class PriceTableDialog;
class PriceTableJob;
class LiveController;
class LiveStatusWidget;
struct LiveActivity;
class SpanInspector;
class Trace;
class TraceFilterBar;
class TraceListModel;
class TraceView;
class WorkspaceReader;
struct FileImportReport;

// The explorer window: trace list with filters on top, the selected trace's span tree + waterfall
// below, the selected span's inspector on the right. Wires models (reader thread, import worker)
// to widgets; holds no trace data of its own.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &workspacePath, QWidget *parent = nullptr);
    ~MainWindow() override;

    void importFiles(const QStringList &files);
    // A workspace file or a team store URL (postgresql://…, its password never kept in settings).
    bool openWorkspace(const QString &requested);
    QString workspacePath() const { return m_workspacePath; }

    // For tests and automation.
    TraceListModel *traceListModel() const { return m_traceModel; }
    QTableView *traceTable() const { return m_traceTable; }
    TraceView *traceView() const { return m_traceView; }
    QAction *compareAction() const { return m_compareAction; }
    QAction *exportTracesAction() const { return m_exportTracesAction; }
    // Writes the given traces (OTLP JSON / JSON lines / CSV by the file's suffix) off the GUI thread.
    void exportTraces(const QStringList &traceIds, const QString &path);
    SpanInspector *inspector() const { return m_inspector; }
    TraceFilterBar *filterBar() const { return m_filterBar; }
    QTableWidget *problemsTable() const { return m_problemsTable; }
    bool isImporting() const;
    void openTrace(const QString &traceId);
    QString currentTraceId() const { return m_currentTraceId; }

    static void applyTheme(Settings::Theme theme);

Q_SIGNALS:
    void traceOpened(const QString &traceId);
    void comparisonShown(QWidget *window);
    void exportFinished(bool ok, const QString &message);
    void importFinished();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createCentral();
    void createStatusBar();
    void createProblemsDock();
    void restoreState();
    void saveState();
    void updateRecentMenu();
    void updateEmptyState();
    void updateCounts(const spanscope::WorkspaceCounts &counts);
    void onImportStarted(const QStringList &files);
    void onImportProgress(double fraction, const QString &what);
    void onFileImported(const FileImportReport &report);
    void onImportFinished(bool cancelled);
    void onTraceSelected();
    void onSpanSelected(int spanIndex);
    void showShortcuts();
    void showAbout();
    void exportImage();
    void openFilesDialog();
    void newWorkspaceDialog();
    void openWorkspaceDialog();
    void refreshChoices();
    void compareSelected();
    void exportSelected();
    void showTraceListMenu(const QPoint &pos);
    QStringList selectedTraceIds() const;
    void updateSelectionActions();

    QString m_workspacePath;
    WorkspaceReader *m_reader = nullptr;
    ImportController *m_import = nullptr;
    TraceListModel *m_traceModel = nullptr;

    QStackedWidget *m_stack = nullptr;      // empty state | explorer
    QWidget *m_emptyState = nullptr;
    QLabel *m_emptyLabel = nullptr;
    TraceFilterBar *m_filterBar = nullptr;
    QTableView *m_traceTable = nullptr;
    QLabel *m_listStatus = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_detailSplitter = nullptr;
    TraceView *m_traceView = nullptr;
    SpanInspector *m_inspector = nullptr;

    QDockWidget *m_problemsDock = nullptr;
    QTableWidget *m_problemsTable = nullptr;

    QLabel *m_workspaceLabel = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_importLabel = nullptr;
    QProgressBar *m_importProgress = nullptr;
    QPushButton *m_cancelImport = nullptr;

    QMenu *m_recentMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_exportImageAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_exportTracesAction = nullptr;
    QAction *m_keepSecretsAction = nullptr;
    quint64 m_compareRequest = 0;
    QList<QAction *> m_themeActions;

    QString m_currentTraceId;
    QStringList m_selectionBeforeReset;
    std::shared_ptr<const Trace> m_currentTrace;
    quint64 m_traceRequest = 0;
    quint64 m_detailRequest = 0;
    qint64 m_knownTraceCount = -1;
    // The pending full-text backlog of this workspace is indexed once, when it is opened, unless
    // a run (which indexes at its end) already started.
    bool m_autoIndexAsked = false;
    bool m_indexOnlyRun = false;  // the current run only indexes for search

    // Live ingest (mainwindow_live.cpp)
public:
    LiveController *liveController() const { return m_live; }
    QAction *liveAction() const { return m_liveAction; }
    QAction *followLatestAction() const { return m_followAction; }
    LiveStatusWidget *liveStatusWidget() const { return m_liveStatus; }
    void showGatewayDialog();
    void showReceiverDialog();

private:
    void createLiveUi();
    void updateLiveWorkspace();
    void onLiveActivity(const LiveActivity &activity);
    void reloadLiveTrace();
    LiveController *m_live = nullptr;
    LiveStatusWidget *m_liveStatus = nullptr;
    QAction *m_liveAction = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_disconnectGatewayAction = nullptr;
    QTimer *m_liveTraceReload = nullptr;
    QString m_liveReselectSpan;
    QTimer *m_liveCounts = nullptr;

    // Dashboard page, drill-downs and prices (mainwindow_dashboard.cpp)
public:
    DashboardView *dashboard() const { return m_dashboard; }
    QTabWidget *pages() const { return m_pages; }
    DashboardDrillBar *drillBar() const { return m_drillBar; }
    void showExplorer();
    void showDashboard();
    // The trace list shows `query` (the traces behind a dashboard bar) until the filters change.
    void showTracesBehind(const spanscope::TraceQuery &query, const QString &description);
    PriceTableDialog *showPricesDialog();
    void recomputeCosts(const QString &overridesPath);
    QString priceOverridesPath() const;

Q_SIGNALS:
    void costsRecomputed(bool ok, qint64 changed, const QString &message);

private:
    void createDashboardUi();
    DashboardView *m_dashboard = nullptr;
    QTabWidget *m_pages = nullptr;
    DashboardDrillBar *m_drillBar = nullptr;
    PriceTableJob *m_priceJob = nullptr;
    QPointer<PriceTableDialog> m_pricesDialog;
};

} // namespace spanscope
