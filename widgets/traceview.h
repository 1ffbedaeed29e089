#pragma once

#include "layout/criticalpath.h"
#include "layout/tracesearch.h"
#include "layout/tracestats.h"
#include "trace/trace.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTimer;
class QToolButton;
class QTreeView;

namespace spanscope {

class SpanTreeModel;
class SpanTreeView;
class TraceHeader;
class TraceSearchBar;
class WaterfallView;

// The centre of the explorer window: the trace's totals, then the span tree and the waterfall side
// by side with shared rows, selection and vertical scrolling. The waterfall's rows follow the
// tree's expansion state (WaterfallLayout's collapsed set is kept in step with the tree's
// expanded()/collapsed() signals and the bulk operations below).
class TraceView : public QWidget
{
    Q_OBJECT
public:
    // Traces up to this many spans open fully expanded; larger ones open expanded down to the
    // deepest level that keeps the visible rows under DefaultVisibleRowBudget.
    static constexpr int ExpandAllLimit = 20000;
    static constexpr int DefaultVisibleRowBudget = 20000;
    // Above this many spans the header's breakdown (TraceStats) is computed on a worker thread; the
    // header shows the summary passed to setTrace (or what the tree knows) until it arrives.
    static constexpr int InlineStatsLimit = 50000;

    explicit TraceView(QWidget *parent = nullptr);
    ~TraceView() override;

    void setTrace(std::shared_ptr<const Trace> trace, const TraceSummary &summary);
    void clear();                    // empty state: "Select a trace in the list above"
    void setLoading(bool loading);
    void startSearch();              // Ctrl+F: show the in-trace search bar and focus it
    // Expand all, Collapse all, Zoom in (+), Zoom out (-), Fit (0), Critical path (C),
    // Next error (N), Previous error (Shift+N), Find next (F3), Find previous (Shift+F3).
    QList<QAction *> viewActions();
    bool exportImage(const QString &path, QString *error);  // PNG or SVG (by suffix)
    QByteArray saveState() const;    // splitter and column widths
    bool restoreState(const QByteArray &state);
    int currentSpan() const;         // -1 = none
    void selectSpan(int spanIndex);  // expands its ancestors, scrolls tree and waterfall to it

    // Header + tree + waterfall for the whole trace (all rows expanded; as many rows as fit in
    // about 4,000 px) at the given width, in the light or dark palette. Needs a QGuiApplication
    // (offscreen is fine), not widgets.
    static QImage render(std::shared_ptr<const Trace> trace, const TraceSummary &summary, int width, bool dark);

    std::shared_ptr<const Trace> trace() const { return m_trace; }
    QTreeView *treeView() const;
    WaterfallView *waterfallView() const { return m_waterfall; }
    TraceHeader *header() const { return m_header; }
    TraceSearchBar *searchBar() const { return m_searchBar; }
    SpanTreeModel *model() const { return m_model; }
    bool isLoading() const;
    bool isComputingStats() const { return m_statsPending; }
    QString emptyText() const;       // what the empty state says ("" while a trace is shown)

    void expandAll();
    void collapseAll();
    void setCriticalPathShown(bool shown);
    bool isCriticalPathShown() const;
    void nextError();
    void previousError();
    void findNext();
    void findPrevious();
    void closeSearch();

Q_SIGNALS:
    void currentSpanChanged(int spanIndex);   // -1 = none
    void inspectorFocusRequested();           // Enter on a span

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void createActions();
    void syncGeometry();
    void applyDefaultExpansion();
    void applySearch();
    void updateMatchInfo();
    void setEmptyText(const QString &text);
    void positionLoadingOverlay();
    void onCurrentChanged();
    void showStats(const TraceStats &stats);

    std::shared_ptr<const Trace> m_trace;
    TraceStats m_stats;
    quint64 m_statsRequest = 0;  // answers for an older trace are dropped
    TraceSearch m_search;
    std::vector<bool> m_matchFlags;
    std::optional<CriticalPath> m_criticalPath;
    int m_lastCurrent = -1;
    bool m_bulkExpansion = false;
    bool m_loading = false;
    bool m_statsPending = false;

    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    QLabel *m_loadingOverlay;
    QWidget *m_content;
    TraceHeader *m_header;
    TraceSearchBar *m_searchBar;
    QSplitter *m_splitter;
    QWidget *m_treeToolbar;
    SpanTreeModel *m_model;
    SpanTreeView *m_tree;
    WaterfallView *m_waterfall;
    QTimer *m_searchTimer;

    QAction *m_expandAllAction = nullptr;
    QAction *m_collapseAllAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QAction *m_fitAction = nullptr;
    QAction *m_criticalPathAction = nullptr;
    QAction *m_nextErrorAction = nullptr;
    QAction *m_previousErrorAction = nullptr;
    QAction *m_findNextAction = nullptr;
    QAction *m_findPreviousAction = nullptr;
    QList<QAction *> m_viewActions;
};

} // namespace spanscope
