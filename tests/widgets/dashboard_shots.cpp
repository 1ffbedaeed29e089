// dashboard_shots OUT_DIR [traces] [--workspace FILE] — not a test: renders what the dashboard work
// draws, to be looked at. Writes, for the light and the dark palette (Fusion, as the app):
//   dashboard-{light,dark}.png           the whole dashboard page on a demo workspace (dashboardfixture::demo)
//   chart-<name>-{light,dark}.png        each chart on its own, at export size
//   dashboard-empty-{light,dark}.png     the dashboard when no trace matches
//   dashboard-unpriced-{light,dark}.png  only traces of a model without a price
//   prices-{light,dark}.png              Settings > Prices… with two models missing a price
//   traceheader-{light,dark}.png         the trace view's header with its time and cost breakdown
// With --workspace FILE the dashboard is rendered on that workspace instead (and the timing of its
// first refresh is printed).
#include "dashboardfixture.h"

#include "items/dashboardmodel.h"
#include "items/workspacereader.h"
#include "widgets/dashboardcharts.h"
#include "widgets/dashboardview.h"
#include "widgets/pricetabledialog.h"
#include "widgets/traceheader.h"
#include "widgets/traceview.h"
#include "widgets/waterfallpainter.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace spanscope;
using namespace spanscope::dashboardfixture;

namespace {

void setTheme(bool dark)
{
    QApplication::setPalette(spanscopePalette(dark));
}

bool save(QWidget *w, const QString &path)
{
    QApplication::processEvents();
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

bool waitForReport(DashboardView &view)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 120000) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        if (view.model()->report() && !view.model()->isLoading())
            return true;
        QThread::msleep(5);
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QStringList args = app.arguments().mid(1);
    QString workspace;
    const int wi = int(args.indexOf(QStringLiteral("--workspace")));
    if (wi >= 0 && wi + 1 < args.size()) {
        workspace = args.at(wi + 1);
        args.remove(wi, 2);
    }
    if (args.isEmpty()) {
        std::fprintf(stderr, "usage: dashboard_shots OUT_DIR [traces] [--workspace FILE]\n");
        return 2;
    }
    const QString outDir = args.at(0);
    QDir().mkpath(outDir);
    const int traces = args.size() > 1 ? args.at(1).toInt() : 900;
    QTemporaryDir tmp;
    const QString path = workspace.isEmpty() ? tmp.filePath(QStringLiteral("demo.sqlite")) : workspace;
    if (workspace.isEmpty()) {
        TraceStore store;
        if (!store.open(path) || !store.writeSpans(demo(traces))) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
    }
    auto file = [&](const QString &name) { return QDir(outDir).filePath(name); };

    WorkspaceReader reader(path);
    for (const bool dark : {false, true}) {
        const QString suffix = dark ? QStringLiteral("-dark.png") : QStringLiteral("-light.png");
        setTheme(dark);
        DashboardView view;
        view.resize(1440, 1100);
        view.setReader(&reader);
        view.show();
        QElapsedTimer timer;
        timer.start();
        if (!waitForReport(view)) {
            std::fprintf(stderr, "no report\n");
            return 1;
        }
        if (!workspace.isEmpty())
            std::printf("first refresh %lld ms\n", (long long)timer.elapsed());
        // The latency of one model's calls reads better than whole traces for the screenshot.
        if (QComboBox *series = view.latencyChart()->seriesChooser(); series->count() > 1 && workspace.isEmpty()) {
            series->setCurrentIndex(1);
            Q_EMIT series->activated(1);
            waitForReport(view);
        }
        save(&view, file(QStringLiteral("dashboard") + suffix));
        for (DashboardChart *c : view.charts()) {
            QString error;
            const QString name = file(QStringLiteral("chart-") + c->objectName() + suffix);
            if (!c->exportImage(name, &error, 900, 420))
                std::printf("FAILED %s: %s\n", qPrintable(name), qPrintable(error));
            else
                std::printf("wrote %s\n", qPrintable(name));
        }
        if (!workspace.isEmpty())
            continue;

        // Nothing matches.
        TraceQuery none;
        none.userId = QStringLiteral("nobody");
        view.setQuery(none);
        waitForReport(view);
        save(&view, file(QStringLiteral("dashboard-empty") + suffix));
        // Only a model without a price.
        TraceQuery unpriced;
        unpriced.model = QStringLiteral("acme-llm-7b");
        view.setQuery(unpriced);
        waitForReport(view);
        save(&view, file(QStringLiteral("dashboard-unpriced") + suffix));
        view.hide();

        PriceTableDialog prices(tmp.filePath(QStringLiteral("price-overrides.json")));
        prices.setMissingModels({QStringLiteral("acme-llm-7b"), QStringLiteral("my-finetune-v2")});
        prices.resize(980, 640);
        prices.show();
        prices.setFilterText(QStringLiteral("gpt-4o"));
        save(&prices, file(QStringLiteral("prices") + suffix));
        prices.hide();

        // The trace view's header: where one trace's time and cost went.
        TraceStore store;
        store.open(path, TraceStore::OpenMode::ReadOnly);
        TraceQuery q;
        q.limit = 50;
        q.sort = TraceQuery::Sort::Cost;
        const QList<TraceSummary> list = store.listTraces(q);
        if (!list.isEmpty()) {
            auto trace = std::make_shared<const Trace>(store.loadSpans(list.first().traceId, false));
            TraceView tv;
            tv.resize(1200, 500);
            tv.show();
            tv.setTrace(trace, list.first());
            QApplication::processEvents();
            save(tv.header(), file(QStringLiteral("traceheader") + suffix));
            save(&tv, file(QStringLiteral("traceview") + suffix));
        }
    }
    return 0;
}
