// bench_traceview [spans...]: setTrace time and waterfall paint time per frame at several zoom
// levels for big generated traces (default 100,000 and 1,000,000 spans). Not a test: it prints.

#include "traceviewfixture.h"

#include "items/spantreemodel.h"
#include "layout/criticalpath.h"
#include "layout/tracesearch.h"
#include "layout/tracestats.h"
#include "layout/waterfalllayout.h"
#include "widgets/traceview.h"
#include "widgets/waterfallpainter.h"
#include "widgets/waterfallview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QScrollBar>
#include <QStyleFactory>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace spanscope;

namespace {

double ms(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

template<typename F>
double timeMs(F &&f)
{
    QElapsedTimer t;
    t.start();
    f();
    return ms(t);
}

template<typename F>
double medianMs(int runs, F &&f)
{
    std::vector<double> v;
    for (int i = 0; i < runs; ++i)
        v.push_back(timeMs(f));
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void bench(int n)
{
    std::printf("\n== %d spans\n", n);
    std::shared_ptr<const Trace> trace;
    std::printf("build Trace (fixture, not the view)     %8.1f ms\n", timeMs([&] { trace = traceviewfixture::bigTrace(n); }));
    std::printf("  parts of setTrace, alone: WaterfallLayout %.1f ms, TraceStats %.1f ms, TraceSearch %.1f ms, CriticalPath %.1f ms\n",
                timeMs([&] { WaterfallLayout l(*trace); }), timeMs([&] { TraceStats::compute(*trace); }),
                timeMs([&] { TraceSearch s(*trace); }), timeMs([&] { CriticalPath c(*trace); }));

    TraceView view;
    view.resize(1920, 1080);
    view.show();
    QCoreApplication::processEvents();
    QTreeView *tree = view.treeView();
    WaterfallView *fall = view.waterfallView();

    const double set = timeMs([&] { view.setTrace(trace, {}); });
    const double layout = timeMs([&] { (void)tree->visualRect(view.model()->index(0, 0)); });
    const double firstPaint = timeMs([&] { (void)view.grab(); });
    std::printf("setTrace                                %8.1f ms  (+ tree layout %.1f ms, + first full paint %.1f ms) -> %.1f ms, %d rows open\n",
                set, layout, firstPaint, set + layout + firstPaint, fall->rowCount());
    const double again = timeMs([&] {
        view.setTrace(trace, {});
        (void)tree->visualRect(view.model()->index(0, 0));
    });
    std::printf("setTrace again (replacing a big trace)  %8.1f ms\n", again);

    const QSize size = fall->viewport()->size();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    const double duration = double(fall->layout().durationNs());
    auto paintMedian = [&] {
        return medianMs(41, [&] {
            QPainter p(&image);
            fall->paintRows(p, size);
        });
    };
    if (qEnvironmentVariableIsSet("BENCH_PROFILE_PAINT")) {  // for perf record: paint, nothing else
        for (int i = 0; i < 3000; ++i) {
            QPainter p(&image);
            fall->paintRows(p, size);
        }
        return;
    }
    std::printf("waterfall viewport %dx%d, median paint per frame (rows + grid + labels, no cache):\n", size.width(), size.height());
    for (const double zoom : {1.0, 10.0, 100.0, 1000.0, 100000.0}) {
        const double w = duration / zoom;
        fall->zoomToRange(duration / 2 - w / 2, duration / 2 + w / 2);
        fall->verticalScrollBar()->setValue(fall->verticalScrollBar()->maximum() / 2);
        std::printf("  zoom %8gx                           %8.3f ms\n", zoom, paintMedian());
    }
    fall->fitAll();

    QImage strip(QSize(size.width(), 40), QImage::Format_ARGB32_Premultiplied);
    const WaterfallColors colors = WaterfallColors::fromPalette(fall->palette());
    std::printf("overview strip %dx40 (mini flame, folded) %8.3f ms\n", size.width(), medianMs(11, [&] {
                    QPainter p(&strip);
                    WaterfallPainter::paintOverview(p, strip.rect(), fall->layout(), colors);
                }));

    const double expand = timeMs([&] {
        view.expandAll();
        (void)tree->visualRect(view.model()->index(0, 0));
    });
    std::printf("expand all (tree + waterfall)           %8.1f ms  -> %d rows\n", expand, fall->rowCount());
    fall->verticalScrollBar()->setValue(fall->verticalScrollBar()->maximum() / 2);
    std::printf("  paint, all rows open, fit             %8.3f ms\n", paintMedian());
    std::printf("  full window repaint (grab), all open  %8.1f ms\n", medianMs(5, [&] { (void)view.grab(); }));
    if (qEnvironmentVariableIsSet("BENCH_PROFILE_COLLAPSE")) {  // for perf record
        for (int i = 0; i < 10; ++i) {
            view.collapseAll();
            (void)tree->visualRect(view.model()->index(0, 0));
            view.expandAll();
            (void)tree->visualRect(view.model()->index(0, 0));
        }
        return;
    }
    std::printf("collapse all                            %8.1f ms\n", timeMs([&] {
                    view.collapseAll();
                    (void)tree->visualRect(view.model()->index(0, 0));
                }));
    int deepest = 0;
    for (int i = 0; i < trace->size(); ++i) {
        if (trace->depth(i) > trace->depth(deepest))
            deepest = i;
    }
    std::printf("select a deep span (expand ancestors)   %8.1f ms\n", timeMs([&] {
                    view.selectSpan(deepest);
                    (void)tree->visualRect(view.model()->index(0, 0));
                }));
    std::printf("critical path on                        %8.1f ms\n", timeMs([&] { view.setCriticalPathShown(true); }));
    std::printf("  paint with critical path              %8.3f ms\n", paintMedian());
    std::printf("headless render 1600 px wide            %8.1f ms\n", timeMs([&] { (void)TraceView::render(trace, {}, 1600, false); }));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QList<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes << QString::fromLocal8Bit(argv[i]).toInt();
    if (sizes.isEmpty())
        sizes = {100000, 1000000};
    for (int n : sizes)
        bench(n);
    return 0;
}
