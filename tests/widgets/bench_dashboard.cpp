// bench_dashboard WORKSPACE — not a test: how long the dashboard takes to refresh after a filter
// change, end to end as the user sees it: DashboardView::setQuery, the aggregates on the reader
// thread, every chart rebuilt and repainted. Use tests/store/bench_stats to build a 1M-span
// workspace (`bench_stats 1000000 FILE`). Prints one line per filter (the second of two runs).
#include "items/dashboardmodel.h"
#include "items/workspacereader.h"
#include "store/workspacestats.h"
#include "widgets/dashboardcharts.h"
#include "widgets/dashboardview.h"
#include "widgets/waterfallpainter.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QStyleFactory>
#include <QThread>

#include <cstdio>

using namespace spanscope;

namespace {

bool waitForReport(DashboardView &view, qint64 timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        if (view.model()->report() && !view.model()->isLoading())
            return true;
        QThread::usleep(200);
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(spanscopePalette(false));
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_dashboard WORKSPACE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    qint64 first = 0, last = 0;
    {
        TraceStore store;
        if (!store.open(path, TraceStore::OpenMode::ReadOnly)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        StatsRequest req;
        req.parts = StatsRequest::Totals;
        const StatsReport r = WorkspaceStats::compute(store, req);
        first = r.totals.firstStartNs;
        last = r.totals.lastStartNs;
        const WorkspaceCounts c = store.counts();
        std::printf("workspace %s: %lld traces, %lld spans\n", qPrintable(path), (long long)c.traces, (long long)c.spans);
    }
    WorkspaceReader reader(path);
    DashboardView view;
    view.resize(1440, 1100);
    view.model()->setClockForTesting([last] { return last + 1; }, 0);
    view.setReader(&reader);
    view.show();
    QElapsedTimer timer;
    timer.start();
    if (!waitForReport(view, 300000))
        return 1;
    std::printf("%-36s %7lld ms\n", "first show (all time)", (long long)timer.elapsed());

    struct Case {
        const char *label;
        TraceQuery query;
    };
    QList<Case> cases;
    {
        TraceQuery q;
        q.sinceNs = last - 7 * WorkspaceStats::Day;
        cases.push_back({"last 7 days", q});
        q.sinceNs = last - WorkspaceStats::Day;
        cases.push_back({"last 24 hours", q});
    }
    {
        TraceQuery q;
        q.model = QStringLiteral("gpt-4o");
        cases.push_back({"model gpt-4o", q});
    }
    {
        TraceQuery q;
        q.userId = QStringLiteral("user-5");
        cases.push_back({"user user-5", q});
    }
    {
        TraceQuery q;
        q.status = TraceQuery::Status::Error;
        cases.push_back({"status error", q});
    }
    {
        TraceQuery q;
        q.sinceNs = first;
        cases.push_back({"all time (through the filter)", q});
    }
    cases.push_back({"all time", TraceQuery{}});
    double worst = 0;
    for (const Case &c : cases) {
        double ms = 0;
        for (int run = 0; run < 2; ++run) {
            // Away and back, so the second run is a change again.
            TraceQuery other;
            other.userId = QStringLiteral("nobody-%1").arg(run);
            view.setQuery(other);
            waitForReport(view, 300000);
            timer.restart();
            view.setQuery(c.query);
            if (!waitForReport(view, 300000))
                return 1;
            for (DashboardChart *chart : view.charts())
                chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
            QApplication::processEvents();
            ms = double(timer.nsecsElapsed()) / 1e6;
        }
        worst = std::max(worst, ms);
        const auto r = view.model()->report();
        std::printf("%-36s %7.0f ms  (traces %lld, buckets %lld)\n", c.label, ms, (long long)r->totals.traces,
                    (long long)r->buckets.size());
        std::fflush(stdout);
    }
    std::printf("slowest refresh after a filter change: %.0f ms\n", worst);
    return 0;
}
