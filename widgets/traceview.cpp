#include "traceview.h"

#include "kindlegend.h"
#include "lineicons.h"
#include "spantreeview.h"
#include "timeruler.h"
#include "traceheader.h"
#include "traceimage.h"
#include "tracesearchbar.h"
#include "waterfallpainter.h"
#include "waterfallview.h"

#include "items/spantreemodel.h"

#include <QAction>
#include <QBoxLayout>
#include <QDataStream>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHeaderView>
#include <QImageWriter>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

namespace spanscope {

namespace {
constexpr quint32 kStateMagic = 0x53535456;  // "SSTV"
constexpr quint8 kStateVersion = 1;
// Searching a trace this large runs after a short pause in typing rather than on every key.
constexpr int kDebouncedSearchSpans = 20000;
// The exported image stops adding rows beyond this height (a footer counts the rest).
constexpr int kExportMaxHeight = 30000;
} // namespace

TraceView::TraceView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_emptyLabel(new QLabel(m_stack))
    , m_loadingOverlay(new QLabel(this))
    , m_content(new QWidget(m_stack))
    , m_header(new TraceHeader(m_content))
    , m_searchBar(new TraceSearchBar(m_content))
    , m_splitter(new QSplitter(Qt::Horizontal, m_content))
    , m_treeToolbar(new QWidget)
    , m_model(new SpanTreeModel(this))
    , m_tree(new SpanTreeView)
    , m_waterfall(new WaterfallView)
    , m_searchTimer(new QTimer(this))
{
    m_emptyLabel->setObjectName(QStringLiteral("traceViewEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    setEmptyText(tr("Select a trace in the list above"));

    m_loadingOverlay->setObjectName(QStringLiteral("traceViewLoading"));
    m_loadingOverlay->setText(tr("Loading trace…"));
    m_loadingOverlay->setAlignment(Qt::AlignCenter);
    m_loadingOverlay->setAutoFillBackground(true);
    m_loadingOverlay->setBackgroundRole(QPalette::ToolTipBase);
    m_loadingOverlay->setForegroundRole(QPalette::ToolTipText);
    m_loadingOverlay->setFrameShape(QFrame::StyledPanel);
    m_loadingOverlay->setContentsMargins(fontMetrics().averageCharWidth() * 3, fontMetrics().height() / 2,
                                         fontMetrics().averageCharWidth() * 3, fontMetrics().height() / 2);
    m_loadingOverlay->hide();

    // Left pane: a small tool bar above the tree; its height matches the overview strip and the
    // tree's header matches the ruler, so tree rows and bars share their y coordinates.
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_treeToolbar);
    leftLayout->addWidget(m_tree);
    m_tree->setModel(m_model);
    m_tree->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    QHeaderView *header = m_tree->header();
    const QFontMetrics fm = fontMetrics();
    const int pad = fm.averageCharWidth() * 2;
    header->setMinimumSectionSize(fm.averageCharWidth() * 4);
    header->setSectionResizeMode(SpanTreeModel::NameColumn, QHeaderView::Stretch);
    header->resizeSection(SpanTreeModel::DurationColumn, fm.horizontalAdvance(QStringLiteral("000.00 ms")) + pad);
    header->resizeSection(SpanTreeModel::TokensColumn, fm.horizontalAdvance(QStringLiteral("12,345 → 1,234")) + pad);
    header->resizeSection(SpanTreeModel::CostColumn, fm.horizontalAdvance(tr("price missing")) + pad);
    header->resizeSection(SpanTreeModel::StatusColumn, fm.horizontalAdvance(QStringLiteral("error")) + pad);

    m_waterfall->setExternalVerticalRange(true);
    m_waterfall->setFocusProxy(m_tree);
    m_waterfall->setSelectionModel(m_model, m_tree->selectionModel());

    m_splitter->addWidget(left);
    m_splitter->addWidget(m_waterfall);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({460, 540});

    auto *rule = new QFrame(m_content);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Plain);
    rule->setForegroundRole(QPalette::Mid);
    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(0);
    contentLayout->addWidget(m_header);
    contentLayout->addWidget(rule);
    contentLayout->addWidget(m_searchBar);
    contentLayout->addWidget(m_splitter, 1);
    m_searchBar->hide();

    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_content);
    auto *main = new QVBoxLayout(this);
    main->setContentsMargins(0, 0, 0, 0);
    main->addWidget(m_stack);

    createActions();

    auto *bar = new QHBoxLayout(m_treeToolbar);
    bar->setContentsMargins(fm.averageCharWidth() / 2, 1, fm.averageCharWidth() / 2, 1);
    bar->setSpacing(1);
    auto addButton = [&](QAction *a, bool withText = false) {
        auto *b = new QToolButton(m_treeToolbar);
        b->setDefaultAction(a);
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus);
        b->setToolButtonStyle(withText ? Qt::ToolButtonTextBesideIcon : Qt::ToolButtonIconOnly);
        bar->addWidget(b);
    };
    auto addSeparator = [&] {
        auto *line = new QFrame(m_treeToolbar);
        line->setFrameShape(QFrame::VLine);
        line->setFrameShadow(QFrame::Plain);
        line->setForegroundRole(QPalette::Mid);
        line->setFixedHeight(fm.height());
        bar->addSpacing(fm.averageCharWidth() / 2);
        bar->addWidget(line);
        bar->addSpacing(fm.averageCharWidth() / 2);
    };
    addButton(m_expandAllAction);
    addButton(m_collapseAllAction);
    addSeparator();
    addButton(m_zoomOutAction);
    addButton(m_zoomInAction);
    addButton(m_fitAction);
    addSeparator();
    addButton(m_criticalPathAction, true);
    bar->addStretch(1);
    auto *find = new QAction(tr("Find in Trace"), this);
    find->setToolTip(tr("Find spans in this trace (Ctrl+F)"));
    find->setProperty("lineIcon", int(LineIcon::Find));
    connect(find, &QAction::triggered, this, &TraceView::startSearch);
    addButton(find);

    // Shared vertical scrolling: the tree's (hidden) scroll bar drives, the waterfall's mirrors it.
    QScrollBar *treeBar = m_tree->verticalScrollBar();
    QScrollBar *fallBar = m_waterfall->verticalScrollBar();
    connect(treeBar, &QScrollBar::rangeChanged, fallBar, [treeBar, fallBar](int min, int max) {
        fallBar->setPageStep(treeBar->pageStep());
        fallBar->setSingleStep(treeBar->singleStep());
        fallBar->setRange(min, max);
        fallBar->setValue(treeBar->value());
    });
    connect(treeBar, &QScrollBar::valueChanged, fallBar, &QScrollBar::setValue);
    connect(fallBar, &QScrollBar::valueChanged, treeBar, &QScrollBar::setValue);

    // The waterfall's rows follow the tree's expansion state.
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        if (!m_bulkExpansion)
            m_waterfall->setSpanCollapsed(m_model->spanIndex(index), false);
    });
    connect(m_tree, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        if (!m_bulkExpansion)
            m_waterfall->setSpanCollapsed(m_model->spanIndex(index), true);
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &TraceView::onCurrentChanged);
    connect(m_tree, &SpanTreeView::activateRequested, this, &TraceView::inspectorFocusRequested);
    connect(m_waterfall, &WaterfallView::timeWindowChanged, this, [this] {
        const TimeScale &s = m_waterfall->timeScale();
        const bool has = m_trace && !m_trace->isEmpty();
        m_zoomInAction->setEnabled(has && s.canZoomIn());
        m_zoomOutAction->setEnabled(has && s.canZoomOut());
        m_fitAction->setEnabled(has && !s.isFitAll());
    });
    connect(m_header, &TraceHeader::errorsClicked, this, [this] {
        if (!m_search.errors().isEmpty())
            selectSpan(m_search.errors().first());
        m_tree->setFocus(Qt::OtherFocusReason);
    });

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(150);
    connect(m_searchTimer, &QTimer::timeout, this, &TraceView::applySearch);
    connect(m_searchBar, &TraceSearchBar::queryChanged, this, [this] {
        if (m_trace && m_trace->size() > kDebouncedSearchSpans)
            m_searchTimer->start();
        else
            applySearch();
    });
    connect(m_searchBar, &TraceSearchBar::nextRequested, this, &TraceView::findNext);
    connect(m_searchBar, &TraceSearchBar::previousRequested, this, &TraceView::findPrevious);
    connect(m_searchBar, &TraceSearchBar::closeRequested, this, &TraceView::closeSearch);

    m_treeToolbar->installEventFilter(this);
    m_tree->header()->installEventFilter(this);
    syncGeometry();
    clear();
}

TraceView::~TraceView() = default;

QTreeView *TraceView::treeView() const
{
    return m_tree;
}

void TraceView::createActions()
{
    auto make = [this](const QString &text, const QString &tip, const QList<QKeySequence> &keys, LineIcon icon) {
        auto *a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QString tipText = tip;
        if (!keys.isEmpty())
            tipText += QStringLiteral(" (") + keys.first().toString(QKeySequence::NativeText) + QLatin1Char(')');
        a->setToolTip(tipText);
        a->setProperty("lineIcon", int(icon));
        addAction(a);
        return a;
    };
    m_expandAllAction = make(tr("E&xpand All"), tr("Expand all spans"), {}, LineIcon::ExpandAll);
    m_collapseAllAction = make(tr("Co&llapse All"), tr("Collapse all spans"), {}, LineIcon::CollapseAll);
    m_zoomInAction = make(tr("Zoom &In"), tr("Zoom in"),
                          {QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal), QKeySequence::ZoomIn}, LineIcon::ZoomIn);
    m_zoomOutAction = make(tr("Zoom &Out"), tr("Zoom out"), {QKeySequence(Qt::Key_Minus), QKeySequence::ZoomOut}, LineIcon::ZoomOut);
    m_fitAction = make(tr("&Fit to Trace"), tr("Show the whole trace"),
                       {QKeySequence(Qt::Key_0), QKeySequence(Qt::CTRL | Qt::Key_0)}, LineIcon::Fit);
    m_criticalPathAction = make(tr("&Critical Path"), tr("Highlight the spans that set the trace's end-to-end latency"),
                                {QKeySequence(Qt::Key_C)}, LineIcon::CriticalPath);
    m_criticalPathAction->setCheckable(true);
    m_criticalPathAction->setIconText(tr("Critical path"));
    m_nextErrorAction = make(tr("&Next Error"), tr("Go to the next error span"), {QKeySequence(Qt::Key_N)}, LineIcon::Down);
    m_previousErrorAction = make(tr("&Previous Error"), tr("Go to the previous error span"),
                                 {QKeySequence(Qt::SHIFT | Qt::Key_N)}, LineIcon::Up);
    m_findNextAction = make(tr("Find Ne&xt"), tr("Next match"), {QKeySequence::FindNext}, LineIcon::Down);
    m_findPreviousAction = make(tr("Find Pre&vious"), tr("Previous match"), {QKeySequence::FindPrevious}, LineIcon::Up);

    auto separator = [this] {
        auto *a = new QAction(this);
        a->setSeparator(true);
        return a;
    };
    m_viewActions = {m_expandAllAction, m_collapseAllAction, separator(), m_zoomInAction, m_zoomOutAction, m_fitAction,
                     separator(), m_criticalPathAction, m_nextErrorAction, m_previousErrorAction, separator(),
                     m_findNextAction, m_findPreviousAction};

    connect(m_expandAllAction, &QAction::triggered, this, &TraceView::expandAll);
    connect(m_collapseAllAction, &QAction::triggered, this, &TraceView::collapseAll);
    connect(m_zoomInAction, &QAction::triggered, m_waterfall, &WaterfallView::zoomIn);
    connect(m_zoomOutAction, &QAction::triggered, m_waterfall, &WaterfallView::zoomOut);
    connect(m_fitAction, &QAction::triggered, m_waterfall, &WaterfallView::fitAll);
    connect(m_criticalPathAction, &QAction::toggled, this, &TraceView::setCriticalPathShown);
    connect(m_nextErrorAction, &QAction::triggered, this, &TraceView::nextError);
    connect(m_previousErrorAction, &QAction::triggered, this, &TraceView::previousError);
    connect(m_findNextAction, &QAction::triggered, this, &TraceView::findNext);
    connect(m_findPreviousAction, &QAction::triggered, this, &TraceView::findPrevious);
}

QList<QAction *> TraceView::viewActions()
{
    return m_viewActions;
}

void TraceView::setTrace(std::shared_ptr<const Trace> trace, const TraceSummary &summary)
{
    setLoading(false);
    const int previous = m_lastCurrent;
    m_searchTimer->stop();
    m_trace = std::move(trace);
    m_criticalPath.reset();
    m_matchFlags.clear();
    m_tree->spanDelegate()->setMatches(nullptr);
    m_lastCurrent = -1;

    const bool has = m_trace && !m_trace->isEmpty();
    m_model->setTrace(has ? m_trace : nullptr);
    m_waterfall->setTrace(has ? m_trace : nullptr);
    for (QAction *a : {m_expandAllAction, m_collapseAllAction, m_zoomInAction, m_zoomOutAction, m_fitAction,
                       m_criticalPathAction, m_nextErrorAction, m_previousErrorAction, m_findNextAction, m_findPreviousAction})
        a->setEnabled(has);
    if (!has) {
        ++m_statsRequest;
        m_statsPending = false;
        m_search = TraceSearch();
        m_stats = TraceStats();
        m_header->clear();
        setEmptyText(m_trace ? tr("This trace has no spans") : tr("Select a trace in the list above"));
        m_stack->setCurrentWidget(m_emptyLabel);
        if (previous != -1)
            Q_EMIT currentSpanChanged(-1);
        return;
    }

    m_search = TraceSearch(*m_trace);
    // The store's rollup, when it is this trace's, is what the trace list shows: show the same.
    const bool haveSummary = summary.spanCount > 0 && summary.traceId == m_trace->traceId();
    const quint64 request = ++m_statsRequest;
    if (m_trace->size() <= InlineStatsLimit) {
        m_statsPending = false;
        TraceStats stats = TraceStats::compute(*m_trace);
        if (haveSummary)
            stats.totals = summary;
        showStats(stats);
    } else {
        // Until the breakdown arrives: the summary, else what is known without a pass over the spans.
        TraceStats first;
        if (haveSummary) {
            first.totals = summary;
        } else {
            first.totals.traceId = m_trace->traceId();
            first.totals.name = m_trace->roots().empty() ? QString() : m_trace->span(m_trace->roots().front()).name;
            first.totals.startNs = m_trace->startNs();
            first.totals.endNs = m_trace->endNs();
            first.totals.spanCount = m_trace->size();
            first.totals.errorCount = int(m_search.errors().size());
        }
        showStats(first);
        m_statsPending = true;
        auto *watcher = new QFutureWatcher<TraceStats>(this);
        connect(watcher, &QFutureWatcher<TraceStats>::finished, this, [this, watcher, request, haveSummary, summary] {
            watcher->deleteLater();
            if (request != m_statsRequest)
                return;
            m_statsPending = false;
            TraceStats stats = watcher->result();
            if (haveSummary)
                stats.totals = summary;
            showStats(stats);
        });
        watcher->setFuture(QtConcurrent::run([trace = m_trace] { return TraceStats::compute(*trace); }));
    }
    m_nextErrorAction->setEnabled(!m_search.errors().isEmpty());
    m_previousErrorAction->setEnabled(!m_search.errors().isEmpty());

    applyDefaultExpansion();
    if (m_criticalPathAction->isChecked())
        setCriticalPathShown(true);
    if (m_searchBar->isVisible() && !m_searchBar->query().trimmed().isEmpty())
        applySearch();
    else
        updateMatchInfo();
    m_stack->setCurrentWidget(m_content);
    syncGeometry();
    if (previous != -1)
        Q_EMIT currentSpanChanged(-1);
}

void TraceView::showStats(const TraceStats &stats)
{
    m_stats = stats;
    m_header->setStats(m_stats, m_trace ? m_trace->traceId() : QString());
    bool anyRunning = false;
    for (int i = 0; i < m_waterfall->layout().spanCount() && !anyRunning; ++i)
        anyRunning = m_waterfall->layout().isUnfinished(i);
    m_header->legend()->setMarksShown(m_stats.totals.errorCount > 0 || !m_search.errors().isEmpty(), anyRunning);
}

void TraceView::applyDefaultExpansion()
{
    const WaterfallLayout &layout = m_waterfall->layout();
    m_bulkExpansion = true;
    if (layout.spanCount() <= ExpandAllLimit) {
        m_tree->expandAll();
        m_waterfall->expandAll();
    } else {
        // Expand the levels above `levels`: the deepest that keeps the rows within budget.
        int levels = 0;
        qint64 rows = 0;
        for (int d = 0; d <= layout.maxDepth(); ++d) {
            rows += layout.spanCountAtDepth(d);
            if (rows > DefaultVisibleRowBudget)
                break;
            levels = d;
        }
        m_waterfall->collapseFromDepth(levels);
        QModelIndexList open;
        for (int i = 0; i < layout.spanCount(); ++i) {
            if (layout.depth(i) < levels && layout.hasChildren(i))
                open << m_model->indexOfSpan(i);
        }
        m_tree->expandMany(open);
    }
    m_bulkExpansion = false;
}

void TraceView::clear()
{
    setTrace(nullptr, TraceSummary());
}

void TraceView::setLoading(bool loading)
{
    m_loading = loading;
    if (loading && m_stack->currentWidget() == m_content) {
        m_loadingOverlay->adjustSize();
        positionLoadingOverlay();
        m_loadingOverlay->show();
        m_loadingOverlay->raise();
    } else {
        m_loadingOverlay->hide();
    }
    if (m_stack->currentWidget() == m_emptyLabel && !m_trace)
        setEmptyText(loading ? tr("Loading trace…") : tr("Select a trace in the list above"));
}

bool TraceView::isLoading() const
{
    return m_loading;
}

QString TraceView::emptyText() const
{
    return m_stack->currentWidget() == m_emptyLabel ? m_emptyLabel->text() : QString();
}

void TraceView::setEmptyText(const QString &text)
{
    m_emptyLabel->setText(text);
}

void TraceView::positionLoadingOverlay()
{
    const QSize s = m_loadingOverlay->sizeHint();
    m_loadingOverlay->setGeometry(QRect(QPoint((width() - s.width()) / 2, (height() - s.height()) / 2), s));
}

void TraceView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_loadingOverlay->isVisible())
        positionLoadingOverlay();
}

void TraceView::startSearch()
{
    if (!m_trace || m_trace->isEmpty())
        return;
    m_searchBar->focusQuery();
    if (!m_searchBar->query().trimmed().isEmpty())
        applySearch();
}

void TraceView::closeSearch()
{
    m_searchTimer->stop();
    m_searchBar->hide();
    m_matchFlags.clear();
    m_tree->spanDelegate()->setMatches(nullptr);
    m_waterfall->setSearchMatches({});
    m_tree->viewport()->update();
    m_tree->setFocus(Qt::OtherFocusReason);
}

void TraceView::applySearch()
{
    m_searchTimer->stop();
    if (!m_trace)
        return;
    m_search.setQuery(m_searchBar->query());
    const QList<int> &matches = m_search.matches();
    m_matchFlags.assign(matches.isEmpty() ? 0 : size_t(m_trace->size()), false);
    for (int s : matches)
        m_matchFlags[size_t(s)] = true;
    m_tree->spanDelegate()->setMatches(m_matchFlags.empty() ? nullptr : &m_matchFlags);
    m_waterfall->setSearchMatches(matches);
    m_tree->viewport()->update();
    if (!matches.isEmpty()) {
        const int current = currentSpan();
        // Stay on the current span while it still matches; else go to the next match after it.
        selectSpan(m_search.matchNumber(current) >= 0 ? current : m_search.next(current));
    }
    updateMatchInfo();
}

void TraceView::updateMatchInfo()
{
    m_searchBar->setMatchInfo(m_search.matchNumber(currentSpan()), m_search.matchCount());
}

void TraceView::findNext()
{
    if (!m_searchBar->isVisible() || m_searchBar->query().trimmed().isEmpty()) {
        startSearch();
        return;
    }
    if (m_searchTimer->isActive())
        applySearch();
    const int next = m_search.next(currentSpan());
    if (next >= 0)
        selectSpan(next);
}

void TraceView::findPrevious()
{
    if (!m_searchBar->isVisible() || m_searchBar->query().trimmed().isEmpty()) {
        startSearch();
        return;
    }
    if (m_searchTimer->isActive())
        applySearch();
    const int previous = m_search.previous(currentSpan());
    if (previous >= 0)
        selectSpan(previous);
}

void TraceView::nextError()
{
    const int e = m_search.nextError(currentSpan());
    if (e >= 0)
        selectSpan(e);
}

void TraceView::previousError()
{
    const int e = m_search.previousError(currentSpan());
    if (e >= 0)
        selectSpan(e);
}

void TraceView::expandAll()
{
    if (!m_trace)
        return;
    m_bulkExpansion = true;
    m_tree->expandAll();
    m_waterfall->expandAll();
    m_bulkExpansion = false;
    const QModelIndex current = m_tree->currentIndex();
    if (current.isValid())
        m_tree->scrollTo(current);
}

void TraceView::collapseAll()
{
    if (!m_trace)
        return;
    // A model reset forgets the tree's expanded set after invalidating all persistent indexes in
    // one sweep; QTreeView::collapseAll() removes them from the model one by one instead
    // (130 ms at 100,000 spans, 2 s at 1,000,000).
    const int current = currentSpan();
    m_bulkExpansion = true;
    m_model->setTrace(m_trace);
    m_waterfall->collapseAll();
    m_bulkExpansion = false;
    if (current >= 0) {
        // The reset cleared the selection silently (m_lastCurrent still holds `current`). The
        // current span moves to its root, the only part of its branch still shown.
        int root = current;
        while (m_trace->parentIndex(root) >= 0)
            root = m_trace->parentIndex(root);
        selectSpan(root);
    }
}

void TraceView::setCriticalPathShown(bool shown)
{
    if (m_criticalPathAction->isChecked() != shown) {
        m_criticalPathAction->setChecked(shown);  // comes back here through toggled()
        return;
    }
    if (shown && m_trace && !m_criticalPath)
        m_criticalPath.emplace(*m_trace);
    m_waterfall->setCriticalPath(shown && m_criticalPath ? &*m_criticalPath : nullptr);
    m_header->legend()->setCriticalPathShown(shown);
}

bool TraceView::isCriticalPathShown() const
{
    return m_criticalPathAction->isChecked();
}

int TraceView::currentSpan() const
{
    return m_model->spanIndex(m_tree->currentIndex());
}

void TraceView::selectSpan(int spanIndex)
{
    if (!m_trace || spanIndex < 0 || spanIndex >= m_trace->size()) {
        m_tree->selectionModel()->clear();
        return;
    }
    QList<int> ancestors;
    for (int p = m_trace->parentIndex(spanIndex); p >= 0; p = m_trace->parentIndex(p))
        ancestors.prepend(p);
    for (int p : ancestors) {
        const QModelIndex i = m_model->indexOfSpan(p);
        if (!m_tree->isExpanded(i))
            m_tree->expand(i);  // expanded() keeps the waterfall in step
    }
    const QModelIndex index = m_model->indexOfSpan(spanIndex);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
    m_waterfall->ensureSpanVisible(spanIndex);
}

void TraceView::onCurrentChanged()
{
    const int span = currentSpan();
    updateMatchInfo();
    if (span == m_lastCurrent)
        return;
    m_lastCurrent = span;
    Q_EMIT currentSpanChanged(span);
}

bool TraceView::exportImage(const QString &path, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_trace || m_trace->isEmpty())
        return fail(tr("There is no trace to export."));
    TraceImageSpec spec;
    spec.trace = m_trace;
    spec.stats = m_stats;
    if (m_statsPending) {  // the breakdown is still on its way: the legend needs it now
        spec.stats = TraceStats::compute(*m_trace);
        spec.stats.totals = m_stats.totals;
    }
    spec.layout = &m_waterfall->layout();
    spec.windowStartNs = m_waterfall->timeScale().startNs();
    spec.windowEndNs = m_waterfall->timeScale().endNs();
    spec.criticalPath = m_waterfall->criticalPath();
    spec.palette = palette();
    spec.font = font();
    spec.width = std::max(width(), 800);
    spec.treeWidth = std::min(m_splitter->sizes().value(0, 0), spec.width / 2);
    spec.maxHeight = kExportMaxHeight;
    const TraceImage image(spec);

    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(image.size());
        svg.setViewBox(QRect(QPoint(0, 0), image.size()));
        svg.setTitle(TraceHeader::title(m_stats.totals));
        svg.setDescription(tr("Trace %1 exported by Spanscope").arg(m_trace->traceId()));
        QPainter p;
        if (!p.begin(&svg))
            return fail(tr("Cannot write %1").arg(path));
        image.paint(p);
        p.end();
        if (QFileInfo(path).size() <= 0)
            return fail(tr("Cannot write %1").arg(path));
        return true;
    }
    QImageWriter writer(path);
    if (writer.format().isEmpty())
        writer.setFormat("png");
    if (!writer.write(image.toImage(devicePixelRatioF())))
        return fail(tr("Cannot write %1: %2").arg(path, writer.errorString()));
    return true;
}

QByteArray TraceView::saveState() const
{
    QByteArray data;
    QDataStream s(&data, QIODevice::WriteOnly);
    s << kStateMagic << kStateVersion << m_splitter->saveState() << m_tree->header()->saveState();
    return data;
}

bool TraceView::restoreState(const QByteArray &state)
{
    if (state.isEmpty())
        return false;
    QDataStream s(state);
    quint32 magic = 0;
    quint8 version = 0;
    QByteArray splitter;
    QByteArray columns;
    s >> magic >> version >> splitter >> columns;
    if (s.status() != QDataStream::Ok || magic != kStateMagic || version != kStateVersion)
        return false;
    const bool ok = m_splitter->restoreState(splitter) && m_tree->header()->restoreState(columns);
    syncGeometry();
    return ok;
}

QImage TraceView::render(std::shared_ptr<const Trace> trace, const TraceSummary &summary, int width, bool dark)
{
    if (!trace || !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return {};
    TraceImageSpec spec;
    spec.stats = TraceStats::compute(*trace);
    if (summary.spanCount > 0 && summary.traceId == trace->traceId())
        spec.stats.totals = summary;
    spec.trace = std::move(trace);
    spec.palette = spanscopePalette(dark);
    spec.font = QGuiApplication::font();
    spec.width = width;
    spec.maxHeight = 4000;
    return TraceImage(spec).toImage();
}

void TraceView::syncGeometry()
{
    // Icons follow the palette; the strip heights follow fonts and style.
    const QColor iconColor = palette().color(QPalette::ButtonText);
    const int iconSize = std::max(14, fontMetrics().height() - 1);
    const qreal dpr = devicePixelRatioF();
    for (QToolButton *b : m_treeToolbar->findChildren<QToolButton *>()) {
        if (QAction *a = b->defaultAction(); a && a->property("lineIcon").isValid())
            a->setIcon(lineIcon(static_cast<LineIcon>(a->property("lineIcon").toInt()), iconColor, iconSize, dpr));
        b->setIconSize(QSize(iconSize, iconSize));
    }
    for (QAction *a : {m_nextErrorAction, m_previousErrorAction, m_findNextAction, m_findPreviousAction})
        a->setIcon(lineIcon(static_cast<LineIcon>(a->property("lineIcon").toInt()), iconColor, iconSize, dpr));
    const int toolbarHeight = std::max(m_treeToolbar->sizeHint().height(), fontMetrics().height() * 2);
    m_treeToolbar->setFixedHeight(toolbarHeight);
    m_waterfall->setTopStripHeights(toolbarHeight, m_tree->header()->sizeHint().height());
    m_waterfall->setRowHeight(m_tree->uniformRowHeight());
}

bool TraceView::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_tree->header() || watched == m_treeToolbar)
        && (event->type() == QEvent::Resize || event->type() == QEvent::Show || event->type() == QEvent::LayoutRequest)) {
        const int header = m_tree->header()->sizeHint().height();
        if (m_waterfall->ruler()->height() != header)
            QTimer::singleShot(0, this, &TraceView::syncGeometry);
    }
    return QWidget::eventFilter(watched, event);
}

void TraceView::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
    case QEvent::FontChange:
        syncGeometry();
        m_tree->viewport()->update();
        break;
    default:
        break;
    }
    QWidget::changeEvent(event);
}

} // namespace spanscope
