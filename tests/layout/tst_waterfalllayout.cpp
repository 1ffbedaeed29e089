#include "layout/waterfalllayout.h"
#include "tracebuilder.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace spanscope;
using tracebuilder::span;

namespace {

//  root [0,100]
//    a [0,40]
//      a1 [0,10]
//      a2 [10,40]
//        a2x [10,20]
//    b [40,90]
//      b1 [40,60]
//    c [90,100]
//  o [50,70]        (orphan: its parent never arrived)
//    o1 [55,60]
Trace sampleTrace()
{
    return Trace(SpanList{
        span("root", "", 0, 100),  span("a", "root", 0, 40),  span("a1", "a", 0, 10),    span("a2", "a", 10, 40),
        span("a2x", "a2", 10, 20), span("b", "root", 40, 90), span("b1", "b", 40, 60),   span("c", "root", 90, 100),
        span("o", "lost", 50, 70), span("o1", "o", 55, 60),
    });
}

// The rows as the tree column would show them: indented names, "+" on collapsed nodes.
QStringList dumpRows(const Trace &trace, const WaterfallLayout &layout)
{
    QStringList rows;
    for (int v = 0; v < layout.visibleRowCount(); ++v) {
        const int s = layout.spanAtVisibleRow(v);
        rows << QString(layout.depth(s) * 2, ' ') + trace.span(s).name + (layout.isCollapsed(s) ? " +" : "");
    }
    return rows;
}

// Visible rows by definition: every span none of whose ancestors is collapsed.
std::vector<int> referenceVisible(const Trace &trace, const WaterfallLayout &layout)
{
    std::vector<int> rows;
    for (int i = 0; i < trace.size(); ++i) {
        bool hidden = false;
        for (int p = trace.parentIndex(i); p >= 0 && !hidden; p = trace.parentIndex(p))
            hidden = layout.isCollapsed(p);
        if (!hidden)
            rows.push_back(i);
    }
    return rows;
}

bool checkRowMapping(const Trace &trace, const WaterfallLayout &layout)
{
    const std::vector<int> expected = referenceVisible(trace, layout);
    if (layout.visibleSpans() != expected)
        return false;
    for (int i = 0; i < trace.size(); ++i) {
        const auto it = std::find(expected.begin(), expected.end(), i);
        const int row = it == expected.end() ? -1 : int(it - expected.begin());
        if (layout.visibleRowOf(i) != row)
            return false;
    }
    return true;
}

int indexOfName(const Trace &trace, const QString &name)
{
    for (int i = 0; i < trace.size(); ++i) {
        if (trace.span(i).name == name)
            return i;
    }
    return -1;
}

struct BarText {
    QString name;
    double x0, x1;
};

} // namespace

class TestWaterfallLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void arrays()
    {
        const Trace trace(SpanList{
            span("root", "", 10, 110),
            span("running", "root", 20, tracebuilder::kUnfinished, SpanKind::Llm),
            span("failed", "root", 30, 60, SpanKind::Tool, true),
            span("skewed", "root", 70, 65),  // ends before it starts
            span("late", "root", 80, 150),
        });
        const WaterfallLayout layout(trace);
        QCOMPARE(layout.spanCount(), 5);
        QCOMPARE(layout.durationNs(), 140);
        QCOMPARE(layout.maxDepth(), 1);
        const int running = indexOfName(trace, "running");
        QCOMPARE(layout.startNs(running), 10);
        QCOMPARE(layout.endNs(running), 140);  // runs to the trace end
        QVERIFY(layout.isUnfinished(running));
        QVERIFY(!layout.isError(running));
        QCOMPARE(layout.kind(running), SpanKind::Llm);
        const int failed = indexOfName(trace, "failed");
        QVERIFY(layout.isError(failed));
        QVERIFY(!layout.isUnfinished(failed));
        QCOMPARE(layout.kind(failed), SpanKind::Tool);
        const int skewed = indexOfName(trace, "skewed");
        QCOMPARE(layout.startNs(skewed), 60);
        QCOMPARE(layout.endNs(skewed), 60);
        QCOMPARE(layout.startNs(0), 0);
        QCOMPARE(layout.endNs(0), 100);

        const Trace sample = sampleTrace();
        const WaterfallLayout sampleLayout(sample);
        for (int i = 0; i < sample.size(); ++i) {
            QCOMPARE(sampleLayout.subtreeEnd(i), sample.subtreeEnd(i));
            QCOMPARE(sampleLayout.hasChildren(i), !sample.children(i).empty());
            QCOMPARE(sampleLayout.depth(i), sample.depth(i));
            QCOMPARE(sampleLayout.parent(i), sample.parentIndex(i));
        }
    }

    void emptyTrace()
    {
        const WaterfallLayout layout{Trace()};
        QCOMPARE(layout.spanCount(), 0);
        QCOMPARE(layout.visibleRowCount(), 0);
        QCOMPARE(layout.maxDepth(), -1);
        QCOMPARE(layout.visibleRowOf(0), -1);
        const TimeScale scale(0, 100);
        QVERIFY(layout.bars(0, 10, scale).isEmpty());
        QVERIFY(layout.foldedBars(0, scale).isEmpty());
        QCOMPARE(layout.overview(10).size(), 10);
        QCOMPARE(layout.overview(10).first(), OverviewColumn());
        QCOMPARE(layout.spanAt(0, 0), -1);
    }

    void collapse_data()
    {
        QTest::addColumn<QStringList>("ops");
        QTest::addColumn<QStringList>("rows");

        QTest::addRow("nothing collapsed")
            << QStringList{} << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("collapse a")
            << QStringList{"collapse a"} << QStringList{"root", "  a +", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("collapse a leaf does nothing")
            << QStringList{"collapse a1"} << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("collapse the root")
            << QStringList{"collapse root"} << QStringList{"root +", "o", "  o1"};
        QTest::addRow("inner state survives collapsing an ancestor")
            << QStringList{"collapse a2", "collapse root", "expand root"}
            << QStringList{"root", "  a", "    a1", "    a2 +", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("collapsing a hidden node changes no rows")
            << QStringList{"collapse root", "collapse b"} << QStringList{"root +", "o", "  o1"};
        QTest::addRow("… but shows when the ancestor opens")
            << QStringList{"collapse root", "collapse b", "expand root"}
            << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b +", "  c", "o", "  o1"};
        QTest::addRow("expandTo opens every ancestor")
            << QStringList{"collapse a2", "collapse a", "collapse root", "expandTo a2x"}
            << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("expandTo leaves other branches alone")
            << QStringList{"collapse b", "collapse a", "expandTo a1"}
            << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b +", "  c", "o", "  o1"};
        QTest::addRow("expandTo a visible span does nothing")
            << QStringList{"collapse b", "expandTo a2x"}
            << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b +", "  c", "o", "  o1"};
        QTest::addRow("collapse all") << QStringList{"collapseAll"} << QStringList{"root +", "o +"};
        QTest::addRow("collapse all, expand the root")
            << QStringList{"collapseAll", "expand root"} << QStringList{"root", "  a +", "  b +", "  c", "o +"};
        QTest::addRow("expand all") << QStringList{"collapseAll", "expandAll"}
                                    << QStringList{"root", "  a", "    a1", "    a2", "      a2x", "  b", "    b1", "  c", "o", "  o1"};
        QTest::addRow("collapse from depth 1")
            << QStringList{"collapse root", "collapseFromDepth 1"} << QStringList{"root", "  a +", "  b +", "  c", "o", "  o1"};
        QTest::addRow("collapse from depth 2")
            << QStringList{"collapseFromDepth 2"} << QStringList{"root", "  a", "    a1", "    a2 +", "  b", "    b1", "  c", "o", "  o1"};
    }

    void collapse()
    {
        QFETCH(QStringList, ops);
        QFETCH(QStringList, rows);
        const Trace trace = sampleTrace();
        WaterfallLayout layout(trace);
        for (const QString &op : ops) {
            const QStringList words = op.split(' ');
            const quint64 revision = layout.rowsRevision();
            const int before = layout.visibleRowCount();
            if (words[0] == "collapse")
                layout.setCollapsed(indexOfName(trace, words[1]), true);
            else if (words[0] == "expand")
                layout.setCollapsed(indexOfName(trace, words[1]), false);
            else if (words[0] == "expandTo")
                layout.expandTo(indexOfName(trace, words[1]));
            else if (words[0] == "collapseAll")
                layout.collapseAll();
            else if (words[0] == "expandAll")
                layout.expandAll();
            else if (words[0] == "collapseFromDepth")
                layout.collapseFromDepth(words[1].toInt());
            else
                QFAIL(qPrintable("unknown op " + op));
            if (layout.visibleRowCount() != before)
                QVERIFY(layout.rowsRevision() != revision);
        }
        QCOMPARE(dumpRows(trace, layout), rows);
        QVERIFY(checkRowMapping(trace, layout));
    }

    void randomCollapseMatchesReference()
    {
        // Random trees and random operations: the incrementally spliced rows must always equal the
        // rows computed from scratch.
        std::mt19937 rng(4711);
        for (int round = 0; round < 5; ++round) {
            SpanList spans;
            const int n = 400;
            for (int i = 0; i < n; ++i) {
                // Even rounds: bushy random trees; odd rounds: long chains with short side branches.
                const int parent = i == 0 ? -1 : round % 2 == 0 ? int(rng() % i) : i - 1 - int(rng() % std::min(i, 3));
                spans << span(QString("s%1").arg(i), parent < 0 ? QString() : QString("s%1").arg(parent), i, i + 1000);
            }
            const Trace trace(spans);
            WaterfallLayout layout(trace);
            for (int op = 0; op < 600; ++op) {
                const int target = int(rng() % n);
                switch (rng() % 20) {
                case 0: layout.expandTo(target); break;
                case 1: layout.collapseFromDepth(int(rng() % 5)); break;
                case 2: layout.expandAll(); break;
                case 3: layout.collapseAll(); break;
                default: layout.setCollapsed(target, rng() % 2); break;
                }
                QVERIFY2(checkRowMapping(trace, layout), qPrintable(QString("round %1 op %2").arg(round).arg(op)));
            }
        }
    }

    void bars_data()
    {
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<QStringList>("collapsed");
        QTest::addColumn<int>("firstRow");
        QTest::addColumn<int>("lastRow");
        QTest::addColumn<QStringList>("expected");  // "row name x0 x1 [<] [>]"

        // width 1000 px; [20, 60] ns is 25 px per ns
        QTest::addRow("window [20, 60], all rows")
            << 20.0 << 60.0 << QStringList{} << 0 << 100
            << QStringList{"0 root 0 1000 < >", "1 a 0 500 <",  "3 a2 0 500 <",  "4 a2x 0 1 <",
                           "5 b 500 1000 >",   "6 b1 500 1000", "8 o 750 1000 >", "9 o1 875 1000"};
        QTest::addRow("row range")
            << 20.0 << 60.0 << QStringList{} << 3 << 6 << QStringList{"3 a2 0 500 <", "4 a2x 0 1 <", "5 b 500 1000 >"};
        QTest::addRow("rows out of range are ignored")
            << 20.0 << 60.0 << QStringList{} << -5 << 2 << QStringList{"0 root 0 1000 < >", "1 a 0 500 <"};
        QTest::addRow("rows are visible rows")
            << 20.0 << 60.0 << QStringList{"a"} << 0 << 100
            << QStringList{"0 root 0 1000 < >", "1 a 0 500 <", "2 b 500 1000 >", "3 b1 500 1000", "5 o 750 1000 >",
                           "6 o1 875 1000"};
        QTest::addRow("whole trace")
            << 0.0 << 100.0 << QStringList{"root"} << 0 << 100 << QStringList{"0 root 0 1000", "1 o 500 700", "2 o1 550 600"};
        QTest::addRow("late window")
            << 80.0 << 100.0 << QStringList{} << 0 << 100 << QStringList{"0 root 0 1000 <", "5 b 0 500 <", "7 c 500 1000"};
        QTest::addRow("window narrower than the deepest zoom is widened")  // 5 ns -> 10 ns, kept inside
            << 95.0 << 100.0 << QStringList{} << 0 << 100 << QStringList{"0 root 0 1000 <", "5 b 0 1 <", "7 c 0 1000"};
    }

    void bars()
    {
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(QStringList, collapsed);
        QFETCH(int, firstRow);
        QFETCH(int, lastRow);
        QFETCH(QStringList, expected);
        const Trace trace = sampleTrace();
        WaterfallLayout layout(trace);
        for (const QString &name : collapsed)
            layout.setCollapsed(indexOfName(trace, name), true);
        TimeScale scale(layout.durationNs(), 1000);
        scale.fit(from, to);
        QStringList got;
        for (const WaterfallBar &b : layout.bars(firstRow, lastRow, scale)) {
            QCOMPARE(b.span, layout.spanAtVisibleRow(b.row));
            got << QString("%1 %2 %3 %4%5%6")
                       .arg(b.row)
                       .arg(trace.span(b.span).name)
                       .arg(b.x0)
                       .arg(b.x1)
                       .arg(b.clippedStart ? " <" : "")
                       .arg(b.clippedEnd ? " >" : "");
        }
        QCOMPARE(got, expected);
    }

    void narrowBarsStayVisible_data()
    {
        QTest::addColumn<qint64>("at");
        QTest::addColumn<double>("x0");
        QTest::addColumn<double>("x1");
        QTest::addRow("instant inside") << qint64(30) << 250.0 << 251.0;
        QTest::addRow("instant at the left edge") << qint64(20) << 0.0 << 1.0;
        QTest::addRow("instant at the right edge") << qint64(60) << 999.0 << 1000.0;
    }

    void narrowBarsStayVisible()
    {
        QFETCH(qint64, at);
        QFETCH(double, x0);
        QFETCH(double, x1);
        const Trace trace(SpanList{span("root", "", 0, 100), span("instant", "root", at, at)});
        const WaterfallLayout layout(trace);
        TimeScale scale(100, 1000);
        scale.fit(20, 60);
        const QList<WaterfallBar> bars = layout.bars(1, 2, scale);
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars[0].x0, x0);
        QCOMPARE(bars[0].x1, x1);
    }

    void folding()
    {
        // depth 1: a run of 1,000 spans of 1 ns each, back to back from 1,000 ns, two failing; then
        // two wide spans. 1,000 px over 1 ms: the whole run fits in one pixel.
        SpanList spans{span("root", "", 0, 1'000'000)};
        for (int i = 0; i < 1000; ++i)
            spans << span(QString("tiny%1").arg(i, 4, 10, QChar('0')), "root", 1000 + i, 1001 + i, SpanKind::Tool, i == 10 || i == 500);
        spans << span("wide1", "root", 500'000, 700'000) << span("wide2", "root", 700'000, 900'000, SpanKind::Llm, true);
        const Trace trace(spans);
        const WaterfallLayout layout(trace);
        QCOMPARE(layout.spanCountAtDepth(1), 1002);

        TimeScale scale(layout.durationNs(), 1000);
        QList<FoldedBar> bars = layout.foldedBars(1, scale);
        QCOMPARE(bars.size(), 3);
        QCOMPARE(bars[0].count, 1000);
        QCOMPARE(bars[0].errorCount, 2);
        QCOMPARE(trace.span(bars[0].firstSpan).name, "tiny0000");
        QCOMPARE(bars[0].x0, 1.0);
        QCOMPARE(bars[0].x1, 2.0);  // the end of the last span in the run
        QCOMPARE(bars[1].count, 1);
        QCOMPARE(trace.span(bars[1].firstSpan).name, "wide1");
        QCOMPARE(bars[1].x0, 500.0);
        QCOMPARE(bars[1].x1, 700.0);
        QCOMPARE(bars[1].errorCount, 0);
        QCOMPARE(trace.span(bars[2].firstSpan).name, "wide2");
        QCOMPARE(bars[2].errorCount, 1);

        const QList<FoldedBar> root = layout.foldedBars(0, scale);
        QCOMPARE(root.size(), 1);
        QCOMPARE(root[0].count, 1);
        QCOMPARE(root[0].x0, 0.0);
        QCOMPARE(root[0].x1, 1000.0);
        QVERIFY(layout.foldedBars(2, scale).isEmpty());
        QVERIFY(layout.foldedBars(-1, scale).isEmpty());

        // 300 ns on 1,000 px: 3.3 px per span, so each one stands alone.
        scale.fit(1100, 1400);
        bars = layout.foldedBars(1, scale);
        QCOMPARE(bars.size(), 302);  // tiny0099 [1099, 1100] … tiny0400 [1400, 1401] touch the window
        for (int i = 0; i < bars.size(); ++i) {
            QCOMPARE(bars[i].count, 1);
            QCOMPARE(trace.span(bars[i].firstSpan).name, QString("tiny%1").arg(99 + i, 4, 10, QChar('0')));
        }

        // A gap wider than minPx splits a run: 1 ns spans at 100 ns per px, gap of 1,000 ns = 10 px.
        scale.fit(0, 100'000);
        bars = layout.foldedBars(1, scale, 3);
        QCOMPARE(bars.size(), 1);
        const Trace gapped(SpanList{span("root", "", 0, 100'000), span("x1", "root", 1000, 1001),
                                    span("x2", "root", 1001, 1002), span("y1", "root", 2000, 2001),
                                    span("y2", "root", 2002, 2003), span("y3", "root", 2003, 2004)});
        const WaterfallLayout gappedLayout(gapped);
        bars = gappedLayout.foldedBars(1, scale, 3);
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars[0].count, 2);
        QCOMPARE(bars[1].count, 3);
        QCOMPARE(gapped.span(bars[1].firstSpan).name, "y1");
    }

    void foldingProperties_data()
    {
        QTest::addColumn<int>("longEvery");  // one span in this many is long (0: none)
        QTest::addColumn<int>("maxShort");
        // Long spans keep the running maximum of ends high, so folding goes span by span; without
        // them it skips ahead by binary search. Both paths must give the same kind of result.
        QTest::addRow("long and short overlapping") << 10 << 300;
        QTest::addRow("short only") << 0 << 300;
        QTest::addRow("short only, some wider") << 0 << 5000;
        QTest::addRow("rare long spans") << 500 << 300;
    }

    void foldingProperties()
    {
        // Random spans at one depth under random windows: blocks are disjoint runs in start order,
        // every span touching the window is in exactly one of them, and each block covers the
        // pixels of all its spans.
        QFETCH(int, longEvery);
        QFETCH(int, maxShort);
        std::mt19937 rng(99);
        SpanList spans{span("root", "", 0, 1'000'000)};
        for (int i = 0; i < 3000; ++i) {
            const qint64 start = rng() % 1'000'000;
            const qint64 len = longEvery > 0 && rng() % longEvery == 0 ? rng() % 200'000 : rng() % maxShort;
            spans << span(QString("s%1").arg(i), "root", start, std::min<qint64>(start + len, 1'000'000),
                          SpanKind::Span, rng() % 50 == 0);
        }
        const Trace trace(spans);
        const WaterfallLayout layout(trace);
        std::vector<int> order;  // depth-1 spans in (start, index) order, as documented
        for (int i = 0; i < trace.size(); ++i) {
            if (layout.depth(i) == 1)
                order.push_back(i);
        }
        std::sort(order.begin(), order.end(), [&](int a, int b) {
            return layout.startNs(a) != layout.startNs(b) ? layout.startNs(a) < layout.startNs(b) : a < b;
        });
        std::vector<int> position(trace.size(), -1);
        for (size_t k = 0; k < order.size(); ++k)
            position[order[k]] = int(k);

        for (int round = 0; round < 200; ++round) {
            TimeScale scale(layout.durationNs(), 200 + rng() % 1800);
            scale.zoom(std::pow(10.0, double(rng() % 5000) / 1000.0), double(rng() % int(scale.width())));
            const double minPx = 1 + rng() % 5;
            const QList<FoldedBar> bars = layout.foldedBars(1, scale, minPx);
            std::vector<int> coveredBy(order.size(), -1);
            int previousEnd = -1;
            for (int b = 0; b < bars.size(); ++b) {
                const FoldedBar &bar = bars[b];
                QVERIFY(bar.x0 >= 0 && bar.x1 <= scale.width() && bar.x1 - bar.x0 >= 1 - 1e-9);
                const int first = position[bar.firstSpan];
                QVERIFY(first > previousEnd - 1);
                int errors = 0;
                for (int k = first; k < first + bar.count; ++k) {
                    const int s = order[k];
                    coveredBy[k] = b;
                    errors += layout.isError(s) ? 1 : 0;
                    QVERIFY(double(layout.startNs(s)) <= scale.endNs());
                    const double x0 = std::max(0.0, scale.x(double(layout.startNs(s))));
                    const double x1 = std::min(scale.width(), scale.x(double(layout.endNs(s))));
                    QVERIFY2(x0 >= bar.x0 - 1e-6 && x1 <= bar.x1 + 1e-6,
                             qPrintable(QString("round %1: span [%2, %3] outside bar [%4, %5]").arg(round).arg(x0).arg(x1).arg(bar.x0).arg(bar.x1)));
                }
                QCOMPARE(bar.errorCount, errors);
                previousEnd = first + bar.count;
            }
            for (size_t k = 0; k < order.size(); ++k) {
                const int s = order[k];
                const bool touches = double(layout.endNs(s)) >= scale.startNs() && double(layout.startNs(s)) <= scale.endNs();
                if (touches)
                    QVERIFY2(coveredBy[k] >= 0, qPrintable(QString("round %1: span %2 not drawn").arg(round).arg(s)));
            }
        }
    }

    void spanAt_data()
    {
        QTest::addColumn<int>("depth");
        QTest::addColumn<double>("t");
        QTest::addColumn<QString>("name");
        QTest::addRow("root") << 0 << 45.0 << "root";
        QTest::addRow("orphan is a root too, and starts later") << 0 << 60.0 << "o";
        QTest::addRow("depth 1") << 1 << 30.0 << "a";
        QTest::addRow("boundary goes to the later start") << 1 << 40.0 << "b";
        QTest::addRow("depth 2") << 2 << 57.0 << "b1";
        QTest::addRow("nothing there") << 2 << 75.0 << "";
        QTest::addRow("past the deepest level") << 4 << 15.0 << "";
        QTest::addRow("depth 3") << 3 << 15.0 << "a2x";
    }

    void spanAt()
    {
        QFETCH(int, depth);
        QFETCH(double, t);
        QFETCH(QString, name);
        const Trace trace = sampleTrace();
        const WaterfallLayout layout(trace);
        const int s = layout.spanAt(depth, t);
        QCOMPARE(s < 0 ? QString() : trace.span(s).name, name);
    }

    void overview()
    {
        const Trace trace = sampleTrace();
        const WaterfallLayout layout(trace);
        // 4 columns of 25 ns: a span occupies the columns of its start through its end.
        const QList<OverviewColumn> &columns = layout.overview(4);
        QCOMPARE(columns.size(), 4);
        // [0,25): root a a1 a2 a2x; [25,50): root a a2 b b1; [50,75): root b b1 o o1; [75,100]: root b c
        const QList<OverviewColumn> expected{{5, 3, false}, {5, 2, false}, {5, 2, false}, {3, 1, false}};
        QCOMPARE(columns, expected);
        QCOMPARE(&layout.overview(4), &columns);  // cached
        QCOMPARE(layout.overview(7).size(), 7);
    }

    void overviewMatchesBruteForce()
    {
        std::mt19937 rng(7);
        SpanList spans{span("s0", "", 0, 50'000)};
        for (int i = 1; i < 2000; ++i) {
            const int parent = int(rng() % i);
            const qint64 start = rng() % 50'000;
            spans << span(QString("s%1").arg(i), QString("s%1").arg(parent), start,
                          rng() % 7 == 0 ? tracebuilder::kUnfinished : start + rng() % 3000, SpanKind::Span, rng() % 40 == 0);
        }
        const Trace trace(spans);
        const WaterfallLayout layout(trace);
        for (int width : {1, 13, 640, 4096}) {
            QList<OverviewColumn> expected(width);
            const double perNs = double(width) / double(layout.durationNs());
            for (int i = 0; i < trace.size(); ++i) {
                const int c0 = std::min(width - 1, int(double(layout.startNs(i)) * perNs));
                const int c1 = std::min(width - 1, int(double(layout.endNs(i)) * perNs));
                for (int c = c0; c <= c1; ++c) {
                    ++expected[c].count;
                    expected[c].maxDepth = std::max(expected[c].maxDepth, layout.depth(i));
                    expected[c].hasError = expected[c].hasError || layout.isError(i);
                }
            }
            QCOMPARE(layout.overview(width), expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestWaterfallLayout)
#include "tst_waterfalllayout.moc"
