#include "traceviewfixture.h"

#include "items/kindpalette.h"
#include "items/spantreemodel.h"
#include "widgets/kindlegend.h"
#include "widgets/timeruler.h"
#include "widgets/traceheader.h"
#include "widgets/traceoverview.h"
#include "widgets/tracesearchbar.h"
#include "widgets/traceview.h"
#include "widgets/waterfallpainter.h"
#include "widgets/waterfallview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace spanscope;
using namespace traceviewfixture;

Q_DECLARE_METATYPE(spanscope::SpanList)

namespace {

QSet<QRgb> distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < img.height(); y += 2) {
        const auto *line = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = 0; x < img.width(); x += 2)
            colours.insert(line[x]);
    }
    return colours;
}

// The waterfall's rows are the tree's visible rows, in order.
QStringList treeRows(const QTreeView *tree, const SpanTreeModel *model)
{
    QStringList rows;
    for (QModelIndex i = model->index(0, 0); i.isValid(); i = tree->indexBelow(i))
        rows << model->trace()->span(model->spanIndex(i)).spanId;
    return rows;
}

QStringList waterfallRows(const WaterfallView *view)
{
    QStringList rows;
    for (int r = 0; r < view->rowCount(); ++r)
        rows << view->trace()->span(view->layout().spanAtVisibleRow(r)).spanId;
    return rows;
}

void sendWheel(QWidget *target, const QPoint &pos, int delta, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent e(QPointF(pos), QPointF(target->mapToGlobal(pos)), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &e);
}

// A pixel just inside a bar's right end and top edge (clear of labels), in device pixels.
QColor pixelAt(const QImage &image, const QRect &bar)
{
    const qreal dpr = image.devicePixelRatio();
    return image.pixelColor(int((bar.right() - 1) * dpr), int((bar.top() + 1) * dpr));
}

QString snapshotDir()
{
    const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR");
    return dir.isEmpty() ? QDir::tempPath() : dir;
}

} // namespace

class TestTraceView : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<const Trace> m_trace = fixtureTrace();
    int span(const char *id) const { return m_trace->indexOf(QString::fromLatin1(id)); }

    std::unique_ptr<TraceView> makeView()
    {
        auto view = std::make_unique<TraceView>();
        view->resize(1200, 700);
        view->setTrace(m_trace, summarize(m_trace->spans()));
        view->show();
        view->activateWindow();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning("window not exposed");
        if (!QTest::qWaitForWindowActive(view.get()))
            qWarning("window not active: shortcuts may not fire");
        view->treeView()->setFocus();
        QCoreApplication::processEvents();
        return view;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(spanscopePalette(false));
    }

    void cleanup()
    {
        QApplication::setPalette(spanscopePalette(false));
    }

    void emptyAndLoadingStates()
    {
        TraceView view;
        view.resize(800, 500);
        QCOMPARE(view.emptyText(), QStringLiteral("Select a trace in the list above"));
        QCOMPARE(view.currentSpan(), -1);
        view.setLoading(true);
        QCOMPARE(view.emptyText(), QStringLiteral("Loading trace…"));
        QVERIFY(view.isLoading());
        view.setTrace(m_trace, {});
        QVERIFY(view.emptyText().isEmpty());
        QVERIFY(!view.isLoading());
        view.setLoading(true);   // another trace on its way: the overlay, not the empty page
        QVERIFY(view.isLoading());
        QVERIFY(view.emptyText().isEmpty());
        view.clear();
        QCOMPARE(view.emptyText(), QStringLiteral("Select a trace in the list above"));
        QVERIFY(!view.isLoading());
        view.setTrace(std::make_shared<const Trace>(), {});
        QCOMPARE(view.emptyText(), QStringLiteral("This trace has no spans"));
    }

    void headerShowsTotals()
    {
        auto view = makeView();
        TraceHeader *header = view->header();
        QCOMPARE(header->titleText(), QStringLiteral("research-agent"));
        const QString stats = header->statsText();
        QVERIFY2(stats.contains(QStringLiteral("Duration 12.0 s")), qPrintable(stats));
        QVERIFY2(stats.contains(QStringLiteral("Spans 13")), qPrintable(stats));
        QVERIFY2(stats.contains(QStringLiteral("LLM calls 4")), qPrintable(stats));
        QVERIFY2(stats.contains(QStringLiteral("Tool calls 3")), qPrintable(stats));
        QVERIFY2(stats.contains(QStringLiteral("computed")), qPrintable(stats));
        QVERIFY2(stats.contains(QStringLiteral("1 error")), qPrintable(stats));
        // The errors link jumps to the first error.
        QSignalSpy spy(view.get(), &TraceView::currentSpanChanged);
        Q_EMIT header->errorsClicked();
        QCOMPARE(view->currentSpan(), span("fetch"));
        QCOMPARE(spy.count(), 1);
    }

    void rowsLineUpWithTree()
    {
        auto view = makeView();
        QTreeView *tree = view->treeView();
        WaterfallView *fall = view->waterfallView();
        QCOMPARE(waterfallRows(fall), treeRows(tree, view->model()));
        QCOMPARE(fall->rowCount(), m_trace->size());  // a small trace opens fully expanded
        for (const char *id : {"root", "plan", "fetch", "late"}) {
            const QModelIndex index = view->model()->indexOfSpan(span(id));
            const QRect treeRect = tree->visualRect(index);
            const QRect fallRect = fall->rowRect(span(id));
            QCOMPARE(fallRect.height(), treeRect.height());
            QCOMPARE(fall->viewport()->mapTo(view.get(), fallRect.topLeft()).y(),
                     tree->viewport()->mapTo(view.get(), treeRect.topLeft()).y());
        }
        // Scrolling either side moves both.
        view->resize(1200, 300);
        QCoreApplication::processEvents();
        QVERIFY(fall->verticalScrollBar()->maximum() > 0);
        QCOMPARE(fall->verticalScrollBar()->maximum(), tree->verticalScrollBar()->maximum());
        sendWheel(tree->viewport(), QPoint(50, 50), -120, Qt::NoModifier);
        QVERIFY(tree->verticalScrollBar()->value() > 0);
        QCOMPARE(fall->verticalScrollBar()->value(), tree->verticalScrollBar()->value());
        fall->verticalScrollBar()->setValue(40);
        QCOMPARE(tree->verticalScrollBar()->value(), 40);
        const QModelIndex plan = view->model()->indexOfSpan(span("plan"));
        QCOMPARE(fall->viewport()->mapTo(view.get(), fall->rowRect(span("plan")).topLeft()).y(),
                 tree->viewport()->mapTo(view.get(), tree->visualRect(plan).topLeft()).y());
    }

    void clickingABarSelectsItsSpan()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        QSignalSpy spy(view.get(), &TraceView::currentSpanChanged);
        const QRect bar = fall->barRect(span("chunk2"));
        QVERIFY(!bar.isEmpty());
        // The bar sits where the public time scale puts the span.
        const double x0 = fall->timeScale().x(double(m_trace->span(span("chunk2")).startNs - m_trace->startNs()));
        QVERIFY(std::abs(bar.left() - x0) <= 1.0);
        QTest::mouseClick(fall->viewport(), Qt::LeftButton, {}, bar.center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), span("chunk2"));
        QCOMPARE(view->model()->spanIndex(view->treeView()->currentIndex()), span("chunk2"));
        QCOMPARE(fall->currentSpan(), span("chunk2"));
        // And the other way round: the tree's selection is the waterfall's.
        view->treeView()->setCurrentIndex(view->model()->indexOfSpan(span("plan")));
        QCOMPARE(fall->currentSpan(), span("plan"));
        QCOMPARE(view->currentSpan(), span("plan"));
    }

    void zoomAndFit()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        const TimeScale before = fall->timeScale();
        QVERIFY(before.isFitAll());
        const double centre = (before.startNs() + before.endNs()) / 2;

        QTest::keyClick(view->treeView(), Qt::Key_Plus);
        TimeScale after = fall->timeScale();
        QVERIFY2(after.windowNs() < before.windowNs() * 0.7, qPrintable(QString::number(after.windowNs())));
        QVERIFY(std::abs((after.startNs() + after.endNs()) / 2 - centre) < before.windowNs() * 1e-6);

        // Ctrl+wheel zooms about the pointer: the time under it stays under it.
        const QPoint at(fall->viewport()->width() / 3, 20);
        const double anchor = fall->timeScale().t(at.x());
        const double window = fall->timeScale().windowNs();
        sendWheel(fall->viewport(), at, 240, Qt::ControlModifier);
        QVERIFY(fall->timeScale().windowNs() < window * 0.8);
        QVERIFY(std::abs(fall->timeScale().t(at.x()) - anchor) < window * 1e-6);
        QVERIFY(fall->horizontalScrollBar()->maximum() > 0);

        // Shift+wheel pans without zooming.
        const double w2 = fall->timeScale().windowNs();
        const double s2 = fall->timeScale().startNs();
        sendWheel(fall->viewport(), at, -120, Qt::ShiftModifier);
        QVERIFY(fall->timeScale().startNs() > s2);
        QCOMPARE(fall->timeScale().windowNs(), w2);

        QTest::keyClick(view->treeView(), Qt::Key_Minus);
        QVERIFY(fall->timeScale().windowNs() > w2);

        QTest::keyClick(view->treeView(), Qt::Key_0);
        QVERIFY(fall->timeScale().isFitAll());
        QCOMPARE(fall->timeScale().startNs(), before.startNs());
        QCOMPARE(fall->timeScale().endNs(), before.endNs());
    }

    void dragOnRulerZoomsToRange()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        TimeRuler *ruler = fall->ruler();
        const double t0 = fall->timeScale().t(200);
        const double t1 = fall->timeScale().t(400);
        QTest::mousePress(ruler, Qt::LeftButton, {}, QPoint(200, ruler->height() / 2));
        QTest::mouseMove(ruler, QPoint(300, ruler->height() / 2));
        QVERIFY(fall->hasRangeSelection());
        QTest::mouseRelease(ruler, Qt::LeftButton, {}, QPoint(400, ruler->height() / 2));
        QVERIFY(!fall->hasRangeSelection());
        QVERIFY(std::abs(fall->timeScale().startNs() - t0) < 2);
        QVERIFY(std::abs(fall->timeScale().endNs() - t1) < 2);

        // The overview's frame follows, and dragging it pans.
        TraceOverview *overview = fall->overview();
        const QRectF frame = overview->windowRect();
        QVERIFY(frame.width() < overview->width() / 2);
        const double window = fall->timeScale().windowNs();
        const QPoint grab = frame.center().toPoint();
        QTest::mousePress(overview, Qt::LeftButton, {}, grab);
        QTest::mouseMove(overview, grab + QPoint(50, 0));
        QTest::mouseRelease(overview, Qt::LeftButton, {}, grab + QPoint(50, 0));
        QVERIFY(fall->timeScale().startNs() > t0);
        QCOMPARE(fall->timeScale().windowNs(), window);
    }

    void dragInBarsPans()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        QTest::keyClick(view->treeView(), Qt::Key_Plus);
        QTest::keyClick(view->treeView(), Qt::Key_Plus);
        const double start = fall->timeScale().startNs();
        const double perPx = fall->timeScale().nsPerPixel();
        QWidget *vp = fall->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, QPoint(400, 30));
        QTest::mouseMove(vp, QPoint(380, 30));
        QTest::mouseMove(vp, QPoint(300, 30));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, QPoint(300, 30));
        QVERIFY(std::abs(fall->timeScale().startNs() - (start + 100 * perPx)) < perPx);
    }

    void searchStepsThroughMatches()
    {
        auto view = makeView();
        // The explorer window has a window-wide Esc (cancel import): the search field still gets Esc.
        QAction windowEsc(view.get());
        windowEsc.setShortcut(Qt::Key_Escape);
        windowEsc.setShortcutContext(Qt::WindowShortcut);
        view->addAction(&windowEsc);
        QSignalSpy windowEscSpy(&windowEsc, &QAction::triggered);
        TraceSearchBar *bar = view->searchBar();
        QVERIFY(!bar->isVisible());
        view->startSearch();
        QVERIFY(bar->isVisible());
        QVERIFY(bar->lineEdit()->hasFocus());
        QTest::keyClicks(bar->lineEdit(), QStringLiteral("tool"));
        // Kind "tool": search_web, fetch_page, notify_user, in tree order.
        QCOMPARE(view->currentSpan(), span("search"));
        QCOMPARE(bar->matchText(), QStringLiteral("1 of 3"));
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(view->currentSpan(), span("fetch"));
        QCOMPARE(bar->matchText(), QStringLiteral("2 of 3"));
        QTest::keyClick(bar->lineEdit(), Qt::Key_F3);
        QCOMPARE(view->currentSpan(), span("notify"));
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);  // wraps
        QCOMPARE(view->currentSpan(), span("search"));
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(view->currentSpan(), span("notify"));

        // A match under a collapsed node is revealed.
        view->collapseAll();
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QCOMPARE(view->currentSpan(), span("fetch"));
        QVERIFY(view->treeView()->isExpanded(view->model()->indexOfSpan(span("summarize"))));
        QVERIFY(view->waterfallView()->layout().visibleRowOf(span("fetch")) >= 0);
        QCOMPARE(waterfallRows(view->waterfallView()), treeRows(view->treeView(), view->model()));

        QTest::keyClicks(bar->lineEdit(), QStringLiteral("zzz"));
        QCOMPARE(bar->matchText(), QStringLiteral("No matches"));
        QTest::keyClick(bar->lineEdit(), Qt::Key_Escape);
        QVERIFY(!bar->isVisible());
        QCOMPARE(windowEscSpy.count(), 0);
        QVERIFY(view->treeView()->hasFocus());
    }

    void searchFindsModelServiceAndStatus()
    {
        auto view = makeView();
        view->startSearch();
        view->searchBar()->setQuery(QStringLiteral("gpt-4o-mini"));
        QCOMPARE(view->currentSpan(), span("chunk1"));
        QCOMPARE(view->searchBar()->matchText(), QStringLiteral("1 of 2"));
        view->searchBar()->setQuery(QStringLiteral("503"));
        QCOMPARE(view->currentSpan(), span("fetch"));
    }

    void errorKeys()
    {
        auto view = makeView();
        // A click in the waterfall hands the keyboard to the tree.
        WaterfallView *fall = view->waterfallView();
        QTest::mouseClick(fall->viewport(), Qt::LeftButton, {}, fall->barRect(span("plan")).center());
        QVERIFY(view->treeView()->hasFocus());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_N);
        QCOMPARE(view->currentSpan(), span("fetch"));
        view->selectSpan(span("answer"));
        QTest::keyClick(view->treeView(), Qt::Key_N, Qt::ShiftModifier);
        QCOMPARE(view->currentSpan(), span("fetch"));
    }

    void treeKeyboard()
    {
        auto view = makeView();
        QTreeView *tree = view->treeView();
        QSignalSpy spans(view.get(), &TraceView::currentSpanChanged);
        QSignalSpy inspector(view.get(), &TraceView::inspectorFocusRequested);
        view->selectSpan(span("summarize"));
        QTest::keyClick(tree, Qt::Key_Down);
        QCOMPARE(view->currentSpan(), span("chunk1"));
        QTest::keyClick(tree, Qt::Key_Up);
        QCOMPARE(view->currentSpan(), span("summarize"));
        QTest::keyClick(tree, Qt::Key_Left);  // collapse
        QVERIFY(!tree->isExpanded(tree->currentIndex()));
        QCOMPARE(view->waterfallView()->rowCount(), m_trace->size() - 3);
        QTest::keyClick(tree, Qt::Key_Right);  // expand
        QCOMPARE(view->waterfallView()->rowCount(), m_trace->size());
        QTest::keyClick(tree, Qt::Key_Return);
        QCOMPARE(inspector.count(), 1);
        QVERIFY(spans.count() >= 3);
    }

    void collapsingFollowsTree()
    {
        auto view = makeView();
        QTreeView *tree = view->treeView();
        WaterfallView *fall = view->waterfallView();
        QCOMPARE(fall->rowCount(), 13);
        tree->collapse(view->model()->indexOfSpan(span("summarize")));
        QCOMPARE(fall->rowCount(), 10);
        QCOMPARE(waterfallRows(fall), treeRows(tree, view->model()));
        tree->collapse(view->model()->indexOfSpan(span("root")));
        QCOMPARE(fall->rowCount(), 2);  // the root and the orphan
        tree->expand(view->model()->indexOfSpan(span("root")));
        QCOMPARE(fall->rowCount(), 10);  // summarize stays collapsed
        QCOMPARE(waterfallRows(fall), treeRows(tree, view->model()));
        view->expandAll();
        QCOMPARE(fall->rowCount(), 13);
        view->collapseAll();
        QCOMPARE(fall->rowCount(), 2);
        QCOMPARE(waterfallRows(fall), treeRows(tree, view->model()));
        // '*' expands the subtree through expanded() signals.
        tree->setCurrentIndex(view->model()->indexOfSpan(span("root")));
        QTest::keyClick(tree, Qt::Key_Asterisk);
        QCOMPARE(fall->rowCount(), 13);
        QCOMPARE(waterfallRows(fall), treeRows(tree, view->model()));
    }

    void bigTraceOpensPartlyExpandedAndInSync()
    {
        TraceView view;
        view.resize(1200, 700);
        const auto big = bigTrace(60000);
        view.setTrace(big, {});
        // The header's breakdown comes from a worker thread; the basics are there at once.
        QVERIFY(view.header()->statsText().contains(QStringLiteral("Spans 60,000")));
        QVERIFY(view.isComputingStats());
        QTRY_VERIFY(!view.isComputingStats());
        QVERIFY(view.header()->statsText().contains(QStringLiteral("LLM calls")));
        QVERIFY(!view.header()->legend()->kinds().isEmpty());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        WaterfallView *fall = view.waterfallView();
        QVERIFY(fall->rowCount() <= TraceView::DefaultVisibleRowBudget);
        QVERIFY(fall->rowCount() > 1);
        QCOMPARE(waterfallRows(fall), treeRows(view.treeView(), view.model()));
        // Selecting a deep span opens its ancestors on both sides.
        int deepest = 0;
        for (int i = 0; i < big->size(); ++i) {
            if (big->depth(i) > big->depth(deepest))
                deepest = i;
        }
        view.selectSpan(deepest);
        QCOMPARE(view.currentSpan(), deepest);
        QVERIFY(fall->layout().visibleRowOf(deepest) >= 0);
        QCOMPARE(waterfallRows(fall), treeRows(view.treeView(), view.model()));
        QVERIFY(fall->rowRect(deepest).intersects(fall->viewport()->rect()));
    }

    void degenerateTraces_data()
    {
        QTest::addColumn<SpanList>("spans");
        QTest::addRow("one running span") << SpanList{makeSpan("a", {}, "only", SpanKind::Llm, 0, -1)};
        QTest::addRow("one instant") << SpanList{makeSpan("a", {}, "instant", SpanKind::Tool, 5, 5)};
        QTest::addRow("end before start") << SpanList{makeSpan("a", {}, "root", SpanKind::Agent, 0, 100),
                                                      makeSpan("b", "a", "skewed", SpanKind::Tool, 50, 20)};
        QTest::addRow("unnamed") << SpanList{makeSpan("a", {}, QString(), SpanKind::Span, 0, 1)};
    }

    void degenerateTraces()
    {
        QFETCH(SpanList, spans);
        const auto trace = std::make_shared<const Trace>(spans);
        TraceView view;
        view.resize(900, 400);
        view.setTrace(trace, {});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        WaterfallView *fall = view.waterfallView();
        QCOMPARE(fall->rowCount(), trace->size());
        for (int i = 0; i < 30; ++i)
            fall->zoomIn();
        QVERIFY(fall->timeScale().windowNs() > 0);
        fall->zoomOut();
        fall->fitAll();
        QVERIFY(!view.grab().isNull());
        QTest::mouseClick(fall->viewport(), Qt::LeftButton, {}, fall->rowRect(0).center());
        QCOMPARE(view.currentSpan(), 0);
        QVERIFY(!fall->toolTipForSpan(0).isEmpty());
        QVERIFY(!TraceView::render(trace, {}, 600, true).isNull());
    }

    void paletteChangesBarColours()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        auto barPixel = [&](const char *id) {
            // Right end, top row of the bar: inside the fill, clear of the (right-aligned, padded) label.
            return pixelAt(fall->viewport()->grab().toImage(), fall->barRect(span(id)));
        };
        QCOMPARE(barPixel("plan"), KindPalette::color(SpanKind::Llm, false));
        QCOMPARE(barPixel("search"), KindPalette::color(SpanKind::Tool, false));
        QApplication::setPalette(spanscopePalette(true));
        QCoreApplication::processEvents();
        QCOMPARE(barPixel("plan"), KindPalette::color(SpanKind::Llm, true));
        QCOMPARE(barPixel("search"), KindPalette::color(SpanKind::Tool, true));
        QVERIFY(KindPalette::color(SpanKind::Llm, true) != KindPalette::color(SpanKind::Llm, false));
    }

    void criticalPathDimsOtherBars()
    {
        auto view = makeView();
        WaterfallView *fall = view->waterfallView();
        auto pixel = [&](const char *id) {
            return pixelAt(fall->viewport()->grab().toImage(), fall->barRect(span(id)));
        };
        const QColor llm = KindPalette::color(SpanKind::Llm, false);
        QCOMPARE(pixel("answer"), llm);
        QTest::keyClick(view->treeView(), Qt::Key_C);
        QVERIFY(view->isCriticalPathShown());
        QVERIFY(fall->criticalPath());
        QVERIFY(fall->criticalPath()->contains(span("root")));
        QVERIFY(!fall->criticalPath()->contains(span("answer")));  // overlaps the running notify_user
        const WaterfallColors colors = WaterfallColors::fromPalette(fall->palette());
        QCOMPARE(pixel("answer"), colors.dimmed(llm));
        QCOMPARE(pixel("plan"), llm);  // on the path: full colour
        QTest::keyClick(view->treeView(), Qt::Key_C);
        QVERIFY(!view->isCriticalPathShown());
        QCOMPARE(pixel("answer"), llm);
    }

    void tooltipDescribesSpan()
    {
        auto view = makeView();
        const QString tip = view->waterfallView()->toolTipForSpan(span("fetch"));
        QVERIFY(tip.contains(QStringLiteral("fetch_page")));
        QVERIFY(tip.contains(QStringLiteral("HTTP 503")));
        QVERIFY(tip.contains(QStringLiteral("+8.00 s")));
        QVERIFY(tip.contains(QStringLiteral("900 ms")));
        const QString llmTip = view->waterfallView()->toolTipForSpan(span("chunk1"));
        QVERIFY(llmTip.contains(QStringLiteral("gpt-4o-mini")));
        QVERIFY(llmTip.contains(QStringLiteral("5,400 → 420")));
        QVERIFY(llmTip.contains(QStringLiteral("computed")));
        QVERIFY(view->waterfallView()->toolTipForSpan(span("notify")).contains(QStringLiteral("running")));
    }

    void renderHeadless_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addRow("light") << false;
        QTest::addRow("dark") << true;
    }

    void renderHeadless()
    {
        QFETCH(bool, dark);
        const QImage image = TraceView::render(m_trace, summarize(m_trace->spans()), 900, dark);
        QCOMPARE(image.width(), 900);
        QVERIFY(image.height() > 200);
        QVERIFY(image.height() <= 4000);
        QVERIFY2(distinctColours(image).size() > 40, qPrintable(QString::number(distinctColours(image).size())));
        const QColor corner = image.pixelColor(2, 2);
        QCOMPARE(corner.lightness() < 128, dark);
        image.save(snapshotDir() + (dark ? QStringLiteral("/traceview-render-dark.png") : QStringLiteral("/traceview-render-light.png")));

        // A big trace is cut at about 4,000 px.
        const QImage big = TraceView::render(bigTrace(5000), {}, 1000, dark);
        QCOMPARE(big.width(), 1000);
        QVERIFY(big.height() <= 4000);
        QVERIFY(big.height() > 3000);
    }

    void exportImage()
    {
        auto view = makeView();
        QTemporaryDir dir;
        QString error;
        QVERIFY2(view->exportImage(dir.filePath(QStringLiteral("trace.png")), &error), qPrintable(error));
        const QImage png(dir.filePath(QStringLiteral("trace.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= 800);
        QVERIFY(distinctColours(png).size() > 40);
        QVERIFY2(view->exportImage(dir.filePath(QStringLiteral("trace.svg")), &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("trace.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("summarize findings"));
        QVERIFY(!view->exportImage(QStringLiteral("/nonexistent-dir/x.png"), &error));
        QVERIFY(!error.isEmpty());
        TraceView empty;
        QVERIFY(!empty.exportImage(dir.filePath(QStringLiteral("none.png")), &error));
    }

    void stateRoundTrip()
    {
        auto view = makeView();
        view->treeView()->header()->resizeSection(SpanTreeModel::TokensColumn, 150);
        const QByteArray state = view->saveState();
        view->treeView()->header()->resizeSection(SpanTreeModel::TokensColumn, 60);
        QVERIFY(view->restoreState(state));
        QCOMPARE(view->treeView()->header()->sectionSize(SpanTreeModel::TokensColumn), 150);
        QVERIFY(!view->restoreState(QByteArray("garbage")));
        QVERIFY(!view->restoreState({}));
    }

    void viewActionsHaveShortcuts()
    {
        TraceView view;
        QStringList shortcuts;
        for (QAction *a : view.viewActions()) {
            if (!a->isSeparator())
                shortcuts << a->shortcut().toString();
        }
        for (const char *key : {"+", "-", "0", "C", "N", "Shift+N", "F3", "Shift+F3"})
            QVERIFY2(shortcuts.contains(QString::fromLatin1(key)), key);
    }

    // Pictures to look at (SPANSCOPE_SNAPSHOT_DIR, default the temp dir); asserts only that they render.
    void snapshots()
    {
        for (const bool dark : {false, true}) {
            QApplication::setPalette(spanscopePalette(dark));
            auto view = makeView();
            const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
            auto save = [&](const QString &what) {
                QCoreApplication::processEvents();
                const QImage img = view->grab().toImage();
                QVERIFY(distinctColours(img).size() > 20);
                img.save(snapshotDir() + QStringLiteral("/traceview-%1-%2.png").arg(theme, what));
            };
            view->selectSpan(span("chunk2"));
            save(QStringLiteral("fit"));
            view->waterfallView()->zoomToRange(3400 * double(kMs), 4600 * double(kMs));
            view->selectSpan(span("embed"));
            save(QStringLiteral("zoomed"));
            view->waterfallView()->fitAll();
            view->setCriticalPathShown(true);
            save(QStringLiteral("critical"));
            view->setCriticalPathShown(false);
            view->setLoading(true);
            save(QStringLiteral("loading"));
            view->setLoading(false);
            view->startSearch();
            QTest::keyClicks(view->searchBar()->lineEdit(), QStringLiteral("gpt"));
            QTest::keyClick(view->searchBar()->lineEdit(), Qt::Key_Return);
            save(QStringLiteral("search"));
        }
        QApplication::setPalette(spanscopePalette(false));
        TraceView empty;
        empty.resize(800, 400);
        empty.grab().save(snapshotDir() + QStringLiteral("/traceview-empty.png"));
        auto big = std::make_unique<TraceView>();
        big->resize(1400, 800);
        big->setTrace(bigTrace(100000), {});
        big->show();
        QVERIFY(QTest::qWaitForWindowExposed(big.get()));
        big->grab().save(snapshotDir() + QStringLiteral("/traceview-big-light.png"));
    }
};

QTEST_MAIN(TestTraceView)
#include "tst_traceview.moc"
