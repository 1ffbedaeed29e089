// The dashboard charts on a small workspace whose every bar is known (dashboardfixture::small):
// bars and points, price-missing markers (never $0), tooltips under the mouse, clicks that ask for
// the traces behind a bar, zoom and pan of time axes, PNG / PDF / CSV exports, both palettes, the
// empty state, and "Recompute costs" reaching the charts.
#include "dashboardfixture.h"

#include "items/dashboardmodel.h"
#include "items/workspacereader.h"
#include "pricing/pricetable.h"
#include "layout/tracestats.h"
#include "widgets/chartstyle.h"
#include "widgets/costbreakdownbar.h"
#include "widgets/dashboardcharts.h"
#include "widgets/dashboardview.h"
#include "widgets/pricetablejob.h"
#include "widgets/waterfallpainter.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <cmath>
#include <ctime>

using namespace spanscope;
using namespace spanscope::dashboardfixture;

namespace {

// Bucket labels and CSV times are local time: pin the zone so the expectations hold anywhere.
const bool utc = [] {
    qputenv("TZ", "UTC");
    tzset();
    return true;
}();

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

double hourKey(int hour)
{
    return double(T0 + hour * H + H / 2) / 1e9;
}

// Data of a plottable as (key, value) pairs, in key order.
QList<QPair<double, double>> points(QCPBars *bars)
{
    QList<QPair<double, double>> out;
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
        out << qMakePair(it->key, it->value);
    return out;
}

QList<QPair<double, double>> points(QCPGraph *graph)
{
    QList<QPair<double, double>> out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        out << qMakePair(it->key, it->value);
    return out;
}

QCPBars *barsNamed(const QList<QCPBars *> &bars, const QString &name)
{
    for (QCPBars *b : bars) {
        if (b->name() == name)
            return b;
    }
    return nullptr;
}

// The middle of a bar (or a graph point) in the plot's widget coordinates, where a user would point.
QPoint barCentre(QCPBars *bars, double key)
{
    double value = 0;
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
        if (near(it->key, key))
            value = it->value;
    }
    double below = 0;
    for (QCPBars *b = bars->barBelow(); b; b = b->barBelow()) {
        for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) {
            if (near(it->key, key))
                below += it->value;
        }
    }
    const QPointF p = bars->coordsToPixels(key, below + value / 2);
    return p.toPoint();
}

QPoint pointAt(QCPGraph *graph, double key, double value)
{
    return graph->coordsToPixels(key, value).toPoint();
}

QStringList itemTexts(QCustomPlot *plot)
{
    QStringList out;
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (auto *t = qobject_cast<QCPItemText *>(plot->item(i)))
            out << t->text().trimmed();
    }
    return out;
}

QList<double> markerPositions(QCustomPlot *plot, const QString &role)
{
    QList<double> out;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *line = qobject_cast<QCPItemStraightLine *>(plot->item(i));
        if (line && line->property("role").toString() == role)
            out << line->point1->coords().x();
    }
    return out;
}

double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<const StatsReport> m_report;

    StatsRequest hourRequest() const
    {
        StatsRequest req;
        req.filter.sinceNs = T0;
        req.filter.untilNs = T0 + 3 * H;
        req.bucketNs = H;
        req.utcOffsetSeconds = 0;
        req.nowNs = T0 + 3 * H;
        req.topDimension = StatsDimension::None;
        return req;
    }

    template <typename Chart>
    void place(Chart &chart)
    {
        chart.resize(640, 380);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setReport(m_report);
        chart.plot()->replot();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(utc);
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath("small.sqlite");
        TraceStore store;
        QVERIFY(store.open(m_path));
        QVERIFY2(store.writeSpans(small()), qPrintable(store.lastError()));
        m_report = std::make_shared<const StatsReport>(WorkspaceStats::compute(store, hourRequest()));
        QVERIFY2(m_report->error.isEmpty(), qPrintable(m_report->error));
        QApplication::setPalette(spanscopePalette(false));
    }

    void costOverTimeStacksModelsAndFlagsMissingPrices()
    {
        CostOverTimeChart chart;
        place(chart);
        // One series per model that has a cost; acme-x has none, so it gets no bar (not a $0 bar).
        QStringList names;
        for (QCPBars *b : chart.bars())
            names << b->name();
        QCOMPARE(names, (QStringList{"gpt-4o", "gpt-4o-mini"}));
        QCPBars *gpt = barsNamed(chart.bars(), "gpt-4o");
        QCPBars *mini = barsNamed(chart.bars(), "gpt-4o-mini");
        const auto gptPoints = points(gpt);
        QCOMPARE(gptPoints.size(), 2);
        QCOMPARE(gptPoints[0].first, hourKey(0));
        QVERIFY(near(gptPoints[0].second, 0.02));
        QCOMPARE(gptPoints[1].first, hourKey(2));
        QVERIFY(near(gptPoints[1].second, 0.04));
        const auto miniPoints = points(mini);
        QCOMPARE(miniPoints.size(), 1);
        QCOMPARE(miniPoints[0].first, hourKey(0));
        QVERIFY(near(miniPoints[0].second, 0.001));
        QCOMPARE(mini->barBelow(), gpt);   // stacked

        // Hour 1 only has a call without a price: a marker there, no bar anywhere in that hour.
        QVERIFY(chart.missingPriceMarkers());
        const auto missing = points(chart.missingPriceMarkers());
        QCOMPARE(missing.size(), 1);
        QCOMPARE(missing[0].first, hourKey(1));
        for (QCPBars *b : chart.bars()) {
            for (const auto &p : points(b))
                QVERIFY(p.first != hourKey(1));
        }
        QVERIFY2(chart.note().contains("Total $0.0610"), qPrintable(chart.note()));
        QVERIFY2(chart.note().contains("acme-x"), qPrintable(chart.note()));

        // Under the mouse: the exact cost of a bar; the marker names the model without a price.
        const QString tip = chart.toolTipAt(barCentre(gpt, hourKey(2)));
        QVERIFY2(tip.contains("gpt-4o: $0.0400"), qPrintable(tip));
        QVERIFY2(tip.contains("02:00"), qPrintable(tip));
        const QString missingTip = chart.toolTipAt(pointAt(chart.missingPriceMarkers(), missing[0].first, missing[0].second));
        QVERIFY2(missingTip.contains("acme-x") && missingTip.contains("without a price"), qPrintable(missingTip));
        QVERIFY(!missingTip.contains("$0"));

        // A click asks for the traces behind the bar: that hour, that model.
        QSignalSpy spy(&chart, &ChartPanel::drillDownRequested);
        QTest::mouseClick(chart.plot(), Qt::LeftButton, {}, barCentre(gpt, hourKey(2)));
        QCOMPARE(spy.count(), 1);
        const TraceQuery q = spy.at(0).at(0).value<TraceQuery>();
        QCOMPARE(q.sinceNs, T0 + 2 * H);
        QCOMPARE(q.untilNs, T0 + 3 * H);
        QCOMPARE(q.model, QStringLiteral("gpt-4o"));
        QVERIFY(chart.clickAt(pointAt(chart.missingPriceMarkers(), missing[0].first, missing[0].second)));
        const TraceQuery qm = spy.at(1).at(0).value<TraceQuery>();
        QCOMPARE(qm.model, QStringLiteral("acme-x"));
        QCOMPARE(qm.sinceNs, T0 + H);
        // Empty space is not a bar.
        QVERIFY(!chart.clickAt(chart.plot()->axisRect()->topRight() + QPoint(-3, 3)));
    }

    void tokensOverTimeStacksCachedInputAndOutput()
    {
        TokensOverTimeChart chart;
        place(chart);
        const QList<QCPBars *> bars = chart.bars();   // cached, the rest of the input, output
        QCOMPARE(points(bars[0]), (QList<QPair<double, double>>{{hourKey(0), 100}, {hourKey(1), 0}, {hourKey(2), 0}}));
        QCOMPARE(points(bars[1]), (QList<QPair<double, double>>{{hourKey(0), 1400}, {hourKey(1), 300}, {hourKey(2), 2000}}));
        QCOMPARE(points(bars[2]), (QList<QPair<double, double>>{{hourKey(0), 150}, {hourKey(1), 30}, {hourKey(2), 200}}));
        QCOMPARE(bars[2]->barBelow(), bars[1]);
        QCOMPARE(bars[1]->barBelow(), bars[0]);
        const QString tip = chart.toolTipAt(barCentre(bars[1], hourKey(0)));
        QVERIFY2(tip.contains("input 1,500 (100 cached)") && tip.contains("output 150"), qPrintable(tip));
        QSignalSpy spy(&chart, &ChartPanel::drillDownRequested);
        QTest::mouseClick(chart.plot(), Qt::LeftButton, {}, barCentre(bars[1], hourKey(1)));
        QCOMPARE(spy.count(), 1);
        const TraceQuery q = spy.at(0).at(0).value<TraceQuery>();
        QCOMPARE(q.sinceNs, T0 + H);
        QCOMPARE(q.untilNs, T0 + 2 * H);
    }

    void requestsAndErrorRate()
    {
        RequestsChart chart;
        place(chart);
        QCOMPARE(points(chart.okBars()), (QList<QPair<double, double>>{{hourKey(0), 1}, {hourKey(1), 1}, {hourKey(2), 1}}));
        QCOMPARE(points(chart.errorBars()), (QList<QPair<double, double>>{{hourKey(0), 1}, {hourKey(1), 0}, {hourKey(2), 0}}));
        QCOMPARE(points(chart.errorRate()), (QList<QPair<double, double>>{{hourKey(0), 50}, {hourKey(1), 0}, {hourKey(2), 0}}));
        const QString tip = chart.toolTipAt(barCentre(chart.errorBars(), hourKey(0)));
        QVERIFY2(tip.contains("2 trace(s)") && tip.contains("1 with errors (50.0 %)"), qPrintable(tip));
        QSignalSpy spy(&chart, &ChartPanel::drillDownRequested);
        QVERIFY(chart.clickAt(barCentre(chart.errorBars(), hourKey(0))));
        TraceQuery q = spy.at(0).at(0).value<TraceQuery>();
        QCOMPARE(q.status, TraceQuery::Status::Error);
        QCOMPARE(q.sinceNs, T0);
        QCOMPARE(q.untilNs, T0 + H);
        QVERIFY(chart.clickAt(barCentre(chart.okBars(), hourKey(2))));
        q = spy.at(1).at(0).value<TraceQuery>();
        QCOMPARE(q.status, TraceQuery::Status::Ok);
        QCOMPARE(q.sinceNs, T0 + 2 * H);
    }

    void latencyHistogramWithPercentileMarkers()
    {
        DistributionChart chart(DistributionChart::Kind::Latency);
        place(chart);
        // Traces of 4, 2, 1 and 8 s: nearest rank p50 = 2 s, p90 = p99 = 8 s.
        const Distribution *d = chart.distribution();
        QVERIFY(d);
        QCOMPARE(d->count, 4);
        double drawn = 0;
        for (const auto &p : points(chart.bars()))
            drawn += p.second;
        QCOMPARE(qint64(drawn) + d->above, 4);
        const double scale = chart.unitScale();
        QCOMPARE(markerPositions(chart.plot(), "p50"), QList<double>{2 * S / scale});
        QCOMPARE(markerPositions(chart.plot(), "p90"), QList<double>{8 * S / scale});
        QCOMPARE(markerPositions(chart.plot(), "p99"), QList<double>{8 * S / scale});
        QVERIFY(itemTexts(chart.plot()).contains("p50"));
        QVERIFY2(chart.note().contains("4 traces") && chart.note().contains("p50 2.00 s"), qPrintable(chart.note()));
        // The bar holding the 8 s trace says how many and asks for traces of that duration.
        double key8 = -1;
        for (const auto &p : points(chart.bars())) {
            if (p.second > 0)
                key8 = p.first;   // the last non-empty bar
        }
        QVERIFY(key8 > 0);
        const QString tip = chart.toolTipAt(barCentre(chart.bars(), key8));
        QVERIFY2(tip.contains("1 trace(s)"), qPrintable(tip));
        QSignalSpy spy(&chart, &ChartPanel::drillDownRequested);
        QVERIFY(chart.clickAt(barCentre(chart.bars(), key8)));
        const TraceQuery q = spy.at(0).at(0).value<TraceQuery>();
        QVERIFY(q.minDurationNs <= 8 * S && q.maxDurationNs > 8 * S);
        QVERIFY(q.minDurationNs > 4 * S);

        // One model's calls: gpt-4o has calls of 2 s and 6 s.
        QVERIFY(chart.seriesChooser()->findData(QStringLiteral("gpt-4o")) >= 0);
    }

    void topByCostPutsMissingPricesAfterKnownCosts()
    {
        TopChart chart;
        place(chart);
        QCOMPARE(chart.dimension(), StatsDimension::Name);
        QVERIFY(chart.byCost());
        QStringList keys;
        for (const StatsGroup &g : chart.groups())
            keys << g.key;
        QCOMPARE(keys, (QStringList{"chat gpt-4o", "chat mini", "chat acme"}));
        // Rank 1 at the top: keys count down.
        const auto bars = points(chart.bars());
        QCOMPARE(bars.size(), 3);
        QCOMPARE(bars[2].first, 3.0);
        QVERIFY(near(bars[2].second, 0.06));
        QVERIFY(near(bars[1].second, 0.001));
        QVERIFY(itemTexts(chart.plot()).contains("price missing (1 span(s))"));
        const QString tip = chart.toolTipAt(barCentre(chart.bars(), 3.0));
        QVERIFY2(tip.contains("$0.0600") && tip.contains("2 span(s)"), qPrintable(tip));
        QSignalSpy spy(&chart, &ChartPanel::drillDownRequested);
        QVERIFY(chart.clickAt(barCentre(chart.bars(), 3.0)));
        QCOMPARE(spy.at(0).at(0).value<TraceQuery>().spanName, QStringLiteral("chat gpt-4o"));

        chart.dimensionChooser()->setCurrentIndex(chart.dimensionChooser()->findData(int(StatsDimension::User)));
        keys.clear();
        for (const StatsGroup &g : chart.groups())
            keys << g.key;
        // carol $0.04, alice $0.02 (and a call without a price), bob $0.001.
        QCOMPARE(keys, (QStringList{"carol", "alice", "bob"}));
        QVERIFY(chart.clickAt(barCentre(chart.bars(), 2.0)));
        QCOMPARE(spy.at(1).at(0).value<TraceQuery>().userId, QStringLiteral("alice"));
        chart.rankingChooser()->setCurrentIndex(1);   // by mean latency: carol 8 s, bob 2 s, alice 2.5 s
        keys.clear();
        for (const StatsGroup &g : chart.groups())
            keys << g.key;
        QCOMPARE(keys, (QStringList{"carol", "alice", "bob"}));
    }

    void costPerTraceCountsPricedTracesAndWarnsAboutTheRest()
    {
        DistributionChart chart(DistributionChart::Kind::TraceCost);
        place(chart);
        const Distribution *d = chart.distribution();
        QCOMPARE(d->count, 3);   // a, b and d have a cost; c has none
        QVERIFY(near(d->p50, 0.02));
        QVERIFY(near(d->max, 0.04));
        double drawn = 0;
        for (const auto &p : points(chart.bars()))
            drawn += p.second;
        QCOMPARE(qint64(drawn) + d->above, 3);
        QVERIFY2(chart.note().contains("1 trace(s) with spans whose price is missing"), qPrintable(chart.note()));
    }

    void timeAxesZoomAndPan()
    {
        CostOverTimeChart chart;
        place(chart);
        QCustomPlot *plot = chart.plot();
        const QCPRange home = plot->xAxis->range();
        QCOMPARE(home.lower, double(T0) / 1e9);
        QCOMPARE(home.upper, double(T0 + 3 * H) / 1e9);
        const QPointF centre = plot->axisRect()->center();
        QWheelEvent wheel(centre, plot->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(plot, &wheel);
        const QCPRange zoomed = plot->xAxis->range();
        QVERIFY2(zoomed.size() < home.size(), qPrintable(QStringLiteral("%1 %2").arg(zoomed.size()).arg(home.size())));
        // The value axis stays: only time zooms.
        QCOMPARE(plot->yAxis->range().lower, 0.0);
        // Drag to the left: later times come into view.
        QTest::mousePress(plot, Qt::LeftButton, {}, centre.toPoint());
        QMouseEvent move(QEvent::MouseMove, centre - QPointF(80, 0), plot->mapToGlobal(centre - QPointF(80, 0)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, (centre - QPointF(80, 0)).toPoint());
        QVERIFY(plot->xAxis->range().lower > zoomed.lower);
        QVERIFY(std::abs(plot->xAxis->range().size() - zoomed.size()) < 1e-6 * zoomed.size());
        chart.resetZoom();
        QCOMPARE(plot->xAxis->range().lower, home.lower);
        QCOMPARE(plot->xAxis->range().upper, home.upper);
    }

    void exportsImagesAndCsv()
    {
        CostOverTimeChart chart;
        place(chart);
        QTemporaryDir out;
        QString error;
        QVERIFY2(chart.exportImage(out.filePath("cost.png"), &error, 800, 400), qPrintable(error));
        const QImage png(out.filePath("cost.png"));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= 800);
        QVERIFY2(chart.exportImage(out.filePath("cost.pdf"), &error, 800, 400), qPrintable(error));
        QFile pdf(out.filePath("cost.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY2(chart.exportCsv(out.filePath("cost.csv"), &error), qPrintable(error));
        QFile csv(out.filePath("cost.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split("\r\n", Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QStringLiteral("bucket_start,model,spans,cost_usd,priced_spans,unpriced_spans"));
        // The call without a price has an empty cost, not 0.
        QStringList acme;
        for (const QString &l : lines) {
            if (l.contains(",acme-x,"))
                acme << l;
        }
        QCOMPARE(acme.size(), 1);
        QVERIFY2(acme[0].endsWith(",acme-x,1,,0,1"), qPrintable(acme[0]));
        QVERIFY2(acme[0].startsWith(QDateTime::fromMSecsSinceEpoch((T0 + H) / 1'000'000, Qt::UTC).toString(Qt::ISODate)),
                 qPrintable(acme[0]));
        QCOMPARE(lines.size(), 1 + 4);   // header, gpt-4o and mini in hour 0, acme-x, gpt-4o in hour 2

        TopChart top;
        place(top);
        const QStringList topLines = top.csv().split("\r\n", Qt::SkipEmptyParts);
        QCOMPARE(topLines.size(), 4);
        QVERIFY2(topLines[1].startsWith("1,chat gpt-4o,2,0,0.06,0,"), qPrintable(topLines[1]));
        QVERIFY2(topLines[3].startsWith("3,chat acme,1,0,,1,"), qPrintable(topLines[3]));
    }

    void darkPaletteRecoloursEverything()
    {
        CostOverTimeChart chart;
        place(chart);
        chart.setPalette(spanscopePalette(true));
        const ChartStyle s = ChartStyle::fromPalette(spanscopePalette(true));
        QVERIFY(s.dark);
        QCOMPARE(chart.plot()->xAxis->tickLabelColor(), s.mutedText);
        QCOMPARE(chart.plot()->legend->textColor(), s.text);
        QVERIFY(contrast(s.mutedText, s.background) >= 4.5);
        QVERIFY(contrast(s.text, s.background) >= 7);
        QVERIFY(contrast(s.warning, s.background) >= 3);
        QVERIFY(contrast(s.error, s.background) >= 3);
        for (int i = 0; i < 8; ++i)
            QVERIFY2(contrast(s.series(i), s.background) >= 2, qPrintable(s.series(i).name()));
        for (QCPBars *b : chart.bars())
            QVERIFY(contrast(b->brush().color(), s.background) >= 2);
        // Rendered, the plot's margin is the palette's base colour.
        const QImage img = chart.plot()->toPixmap(400, 240).toImage();
        QCOMPARE(img.pixelColor(2, 2).rgb(), s.background.rgb());
        QVERIFY(luminance(img.pixelColor(2, 2)) < 0.1);

        const ChartStyle light = ChartStyle::fromPalette(spanscopePalette(false));
        QVERIFY(contrast(light.mutedText, light.background) >= 4.5);
        QVERIFY(contrast(light.warning, light.background) >= 3);
        for (int i = 0; i < 8; ++i)
            QVERIFY2(contrast(light.series(i), light.background) >= 1.8, qPrintable(light.series(i).name()));
    }

    void emptySelectionSaysSo()
    {
        TraceStore store;
        QVERIFY(store.open(m_path, TraceStore::OpenMode::ReadOnly));
        StatsRequest req = hourRequest();
        req.filter.userId = QStringLiteral("nobody");
        auto empty = std::make_shared<const StatsReport>(WorkspaceStats::compute(store, req));
        QCOMPARE(empty->totals.traces, 0);
        CostOverTimeChart cost;
        cost.setReport(empty);
        QVERIFY(cost.bars().isEmpty());
        QVERIFY2(cost.note().contains("No traces"), qPrintable(cost.note()));
        QVERIFY(!cost.note().contains("$0"));
        DistributionChart latency(DistributionChart::Kind::Latency);
        latency.setReport(empty);
        QVERIFY2(latency.note().contains("No traces"), qPrintable(latency.note()));
        TopChart top;
        top.setReport(empty);
        QVERIFY2(top.note().contains("No traces"), qPrintable(top.note()));

        // Traces, but none with a price: the total is unknown, never $0.
        req.filter.userId.clear();
        req.filter.sinceNs = T0 + H;
        req.filter.untilNs = T0 + 2 * H;
        auto unpriced = std::make_shared<const StatsReport>(WorkspaceStats::compute(store, req));
        QCOMPARE(unpriced->totals.traces, 1);
        cost.setReport(unpriced);
        QVERIFY(cost.bars().isEmpty());
        QVERIFY(cost.missingPriceMarkers());
        QVERIFY2(!cost.note().contains("$0"), qPrintable(cost.note()));
        QVERIFY2(cost.note().contains("price missing") || cost.note().contains("without a price"), qPrintable(cost.note()));
    }

    void dashboardViewFollowsTheFiltersAndDrillsDown()
    {
        WorkspaceReader reader(m_path);
        DashboardView view;
        view.model()->setClockForTesting([] { return T0 + 3 * H; }, 0);
        view.resize(1200, 1000);
        view.setReader(&reader);
        QSignalSpy reports(view.model(), &DashboardModel::reportChanged);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->report() && !view.model()->isLoading(), 20000);
        QVERIFY2(view.totalsText().contains("Traces 4"), qPrintable(view.totalsText()));
        QVERIFY2(view.totalsText().contains("price missing for 1 call(s)"), qPrintable(view.totalsText()));
        for (DashboardChart *c : view.charts())
            QCOMPARE(c->report(), view.model()->report());

        // A filter change recomputes: only alice's traces (a and c).
        TraceQuery alice;
        alice.userId = QStringLiteral("alice");
        const qsizetype before = reports.count();
        view.setQuery(alice);
        QTRY_VERIFY_WITH_TIMEOUT(reports.count() > before && !view.model()->isLoading(), 20000);
        QCOMPARE(view.model()->report()->totals.traces, 2);
        QVERIFY2(view.totalsText().contains("Traces 2"), qPrintable(view.totalsText()));

        // A click on a chart asks for its traces, named by the chart.
        QSignalSpy drill(&view, &DashboardView::tracesRequested);
        RequestsChart *requests = view.requestsChart();
        requests->plot()->replot();
        const auto ok = points(requests->okBars());
        QVERIFY(!ok.isEmpty());
        QVERIFY(requests->clickAt(barCentre(requests->okBars(), ok.last().first)));
        QCOMPARE(drill.count(), 1);
        const TraceQuery q = drill.at(0).at(0).value<TraceQuery>();
        QCOMPARE(q.userId, QStringLiteral("alice"));
        QCOMPARE(q.status, TraceQuery::Status::Ok);
        QVERIFY(drill.at(0).at(1).toString().startsWith(requests->title()));

        // Choosing a model's latency asks for that part only and shows its calls.
        QComboBox *series = view.latencyChart()->seriesChooser();
        const int i = series->findData(QStringLiteral("gpt-4o"));
        QVERIFY(i >= 0);
        series->setCurrentIndex(i);
        Q_EMIT series->activated(i);
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->report()->latencyModel == QStringLiteral("gpt-4o") && !view.model()->isLoading(), 20000);
        QCOMPARE(view.latencyChart()->distribution()->count, 1);   // alice's only gpt-4o call
        QCOMPARE(view.model()->report()->totals.traces, 2);        // the rest of the report stays
    }

    void traceCostBreakdownFlagsMissingPrices()
    {
        auto traceOf = [](const QString &id) {
            SpanList spans;
            for (const Span &s : small()) {
                if (s.traceId == id)
                    spans << s;
            }
            return Trace(spans);
        };
        CostBreakdownBar bar;
        bar.resize(340, bar.sizeHint().height());
        // a: agent 4 s around a 2 s gpt-4o call and a 0.5 s tool: self times 1.5, 2 and 0.5 s.
        bar.setStats(TraceStats::compute(traceOf("a")));
        QVERIFY(!bar.isHidden());
        double sum = 0;
        double llmShare = -1;
        for (const CostBreakdownBar::Segment &s : bar.timeSegments()) {
            sum += s.fraction;
            if (s.label == spanKindName(SpanKind::Llm))
                llmShare = s.fraction;
        }
        QVERIFY(near(sum, 1));
        QVERIFY(near(llmShare, 0.5));
        QCOMPARE(bar.costSegments().size(), 1);
        QCOMPARE(bar.costSegments()[0].label, QStringLiteral("gpt-4o"));
        QVERIFY(near(bar.costSegments()[0].value, 0.02));
        QVERIFY(!bar.costSegments()[0].priceMissing);

        // c: its only call has no price: a "price missing" segment, no $0 anywhere.
        bar.setStats(TraceStats::compute(traceOf("c")));
        QCOMPARE(bar.costSegments().size(), 1);
        QVERIFY(bar.costSegments()[0].priceMissing);
        QCOMPARE(bar.costSegments()[0].label, QStringLiteral("acme-x"));
        const QString html = bar.detailsHtml();
        QVERIFY(html.contains("price missing"));
        QVERIFY(!html.contains("$0"));
        bool found = false;
        for (int x = 0; x < bar.width() && !found; x += 4) {
            for (int y = 0; y < bar.height() && !found; ++y)
                found = bar.toolTipAt(QPoint(x, y)).contains("acme-x: price missing");
        }
        QVERIFY(found);
    }

    void tooManyBucketsFallBackToTheRange()
    {
        // Three days per minute would be 4,320 bars: more than the charts draw.
        const QString path = m_dir.filePath("demo.sqlite");
        {
            TraceStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.writeSpans(demo(60)));
        }
        WorkspaceReader reader(path);
        DashboardModel model;
        model.setClockForTesting([] { return T0 + 3 * D; }, 0);
        model.setReader(&reader);
        model.setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(model.report() && !model.isLoading(), 20000);
        QCOMPARE(model.report()->bucketNs, H);   // three days: hours
        model.setBucketNs(WorkspaceStats::Minute);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 20000);
        QVERIFY(model.report()->buckets.size() <= WorkspaceStats::MaxBuckets);
        QCOMPARE(model.report()->bucketNs, H);
        // A day of it per minute is fine.
        TraceQuery day;
        day.sinceNs = T0;
        day.untilNs = T0 + D;
        model.setQuery(day);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.report()->request.filter.untilNs == T0 + D, 20000);
        QCOMPARE(model.report()->bucketNs, WorkspaceStats::Minute);
    }

    void recomputedCostsReachTheCharts()
    {
        // A copy of the workspace, re-priced with a price for acme-x.
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
        WorkspaceReader reader(path);
        DashboardView view;
        view.model()->setClockForTesting([] { return T0 + 3 * H; }, 0);
        view.resize(1200, 1000);
        view.model()->setBucketNs(H);
        view.setReader(&reader);
        TraceQuery range;
        range.sinceNs = T0;
        range.untilNs = T0 + 3 * H;
        view.setQuery(range);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->report() && !view.model()->isLoading(), 20000);
        QVERIFY(view.costChart()->missingPriceMarkers());
        QVERIFY(!barsNamed(view.costChart()->bars(), "acme-x"));

        PriceTableJob job;
        QSignalSpy finished(&job, &PriceTableJob::finished);
        QVERIFY(job.start(path, overrides));
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
        const auto old = view.model()->report();
        view.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->report() != old && !view.model()->isLoading(), 20000);

        // acme-x now costs 300 × $100/M + 30 × $1000/M = $0.06 and has a bar; nothing is missing.
        QCPBars *acme = barsNamed(view.costChart()->bars(), "acme-x");
        QVERIFY(acme);
        const auto acmePoints = points(acme);
        QCOMPARE(acmePoints.size(), 1);
        QCOMPARE(acmePoints[0].first, hourKey(1));
        QVERIFY(near(acmePoints[0].second, 0.06));
        QVERIFY(!view.costChart()->missingPriceMarkers());
        QCOMPARE(view.model()->report()->totals.unpricedSpans, 0);
        // Reported costs stay as they were: d's $0.04 in hour 2.
        const auto gpt = points(barsNamed(view.costChart()->bars(), "gpt-4o"));
        QCOMPARE(gpt.last().first, hourKey(2));
        QVERIFY(near(gpt.last().second, 0.04));
        // Computed ones follow the built-in table: a's gpt-4o call, 1000 in / 100 out.
        Span a1 = small()[1];
        a1.cost = Cost();
        applyComputedCost(a1, *PriceTable::withOverrides(overrides, nullptr));
        QVERIFY(a1.cost.isKnown());
        QVERIFY(near(gpt.first().second, a1.cost.totalUsd));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
