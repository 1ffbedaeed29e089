// The dashboard inside the main window: it follows the filter bar, a click on a bar shows the traces
// behind it in the trace list (with the drill-down strip and a way back), and "Recompute costs"
// re-prices the workspace and the charts show it.
#include "../widgets/dashboardfixture.h"

#include "items/dashboardmodel.h"
#include "items/tracelistmodel.h"
#include "mainwindow.h"
#include "settings.h"
#include "widgets/dashboardcharts.h"
#include "widgets/dashboarddrillbar.h"
#include "widgets/dashboardview.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>

using namespace spanscope;
using namespace spanscope::dashboardfixture;

namespace {

const bool utc = [] {
    qputenv("TZ", "UTC");
    tzset();
    return true;
}();

bool reportReady(MainWindow &w)
{
    return QTest::qWaitFor([&] { return w.dashboard()->model()->report() && !w.dashboard()->model()->isLoading(); }, 20000);
}

QCPBars *barsNamed(const CostOverTimeChart *chart, const QString &name)
{
    for (QCPBars *b : chart->bars()) {
        if (b->name() == name)
            return b;
    }
    return nullptr;
}

} // namespace

class TestDashboardWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(utc);
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SpanscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboardwindow"));
        Settings::instance().setTheme(Settings::Theme::Light);
        Settings::instance().setPriceOverrideFile(QString());
    }

    void clickABarToSeeItsTracesAndComeBack()
    {
        const QString path = m_dir.filePath("drill.sqlite");
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans(small()));
        }
        MainWindow w(path);
        w.resize(1400, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        TraceListModel *list = w.traceListModel();
        QVERIFY(QTest::qWaitFor([&] { return list->rowCount() == 4; }, 20000));

        w.showDashboard();
        QCOMPARE(w.pages()->currentWidget(), w.dashboard());
        QVERIFY(reportReady(w));
        QCOMPARE(w.dashboard()->model()->report()->totals.traces, 4);

        // The gpt-4o bar of d (02:00): the list shows d only, the strip says what was clicked.
        CostOverTimeChart *cost = w.dashboard()->costChart();
        cost->plot()->replot();
        QCPBars *gpt = barsNamed(cost, QStringLiteral("gpt-4o"));
        QVERIFY(gpt);
        const auto last = std::prev(gpt->data()->constEnd());
        QVERIFY(cost->clickAt(gpt->coordsToPixels(last->key, last->value / 2)));
        QVERIFY(w.pages()->currentWidget() != w.dashboard());
        QVERIFY(!w.drillBar()->isHidden());
        QVERIFY2(w.drillBar()->description().contains("gpt-4o"), qPrintable(w.drillBar()->description()));
        QVERIFY(QTest::qWaitFor([&] { return list->rowCount() == 1 && list->summaryAt(0); }, 20000));
        QCOMPARE(list->summaryAt(0)->traceId, QStringLiteral("d"));
        // With SPANSCOPE_SNAPSHOT_DIR set: the window with the drill-down strip, in both palettes.
        if (const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            QTest::qWait(250);
            w.grab().save(dir + QStringLiteral("/drilldown-light.png"));
            MainWindow::applyTheme(Settings::Theme::Dark);
            QTest::qWait(250);
            w.grab().save(dir + QStringLiteral("/drilldown-dark.png"));
            w.showDashboard();
            QTest::qWait(250);
            w.grab().save(dir + QStringLiteral("/window-dashboard-dark.png"));
            MainWindow::applyTheme(Settings::Theme::Light);
            w.showExplorer();
        }

        // Back to the dashboard, then the filtered list again.
        auto *back = w.drillBar()->findChild<QPushButton *>(QStringLiteral("dashboardDrillBack"));
        QVERIFY(back);
        back->click();
        QCOMPARE(w.pages()->currentWidget(), w.dashboard());
        auto *close = w.drillBar()->findChild<QAbstractButton *>(QStringLiteral("dashboardDrillClose"));
        QVERIFY(close);
        close->click();
        QVERIFY(QTest::qWaitFor([&] { return list->rowCount() == 4; }, 20000));
    }

    void recomputeCostsUpdatesTheCharts()
    {
        const QString path = m_dir.filePath("reprice.sqlite");
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans(small()));
        }
        const QString overrides = m_dir.filePath("prices.json");
        {
            QFile f(overrides);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"models": [{"match": "acme-x", "input_mtok": 100, "output_mtok": 1000}]})");
        }
        MainWindow w(path);
        w.resize(1400, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showDashboard();
        QVERIFY(reportReady(w));
        QCOMPARE(w.dashboard()->model()->report()->totals.unpricedModels, QStringList{"acme-x"});
        QVERIFY(w.dashboard()->costChart()->missingPriceMarkers());

        QSignalSpy done(&w, &MainWindow::costsRecomputed);
        w.recomputeCosts(overrides);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(2).toString()));
        QVERIFY(QTest::qWaitFor([&] {
            const auto r = w.dashboard()->model()->report();
            return r && !w.dashboard()->model()->isLoading() && r->totals.unpricedSpans == 0;
        }, 20000));
        QVERIFY(!w.dashboard()->costChart()->missingPriceMarkers());
        QVERIFY(barsNamed(w.dashboard()->costChart(), QStringLiteral("acme-x")));
        QVERIFY2(!w.dashboard()->totalsText().contains("price missing"), qPrintable(w.dashboard()->totalsText()));
    }
};

QTEST_MAIN(TestDashboardWindow)
#include "tst_dashboardwindow.moc"
