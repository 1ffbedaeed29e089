#include "layout/criticalpath.h"
#include "layout/spaninterval.h"
#include "tracebuilder.h"

#include <QTest>

#include <random>

using namespace spanscope;
using tracebuilder::kUnfinished;
using tracebuilder::span;

namespace {

QStringList dumpSegments(const Trace &trace, const QList<CriticalSegment> &segments)
{
    QStringList out;
    for (const CriticalSegment &s : segments)
        out << QString("%1 %2-%3").arg(trace.span(s.span).name).arg(s.startNs).arg(s.endNs);
    return out;
}

// What must hold for any trace: segments in time order and disjoint, each inside its span's
// interval, each span's segments reachable through segmentsOf(), and the span set consistent.
void checkInvariants(const Trace &trace, const CriticalPath &path)
{
    qint64 previousEnd = std::numeric_limits<qint64>::min();
    qint64 total = 0;
    QSet<int> withSegments;
    for (const CriticalSegment &s : path.segments()) {
        QVERIFY(s.startNs < s.endNs);
        QVERIFY(s.startNs >= previousEnd);
        previousEnd = s.endNs;
        total += s.endNs - s.startNs;
        const SpanInterval iv = spanInterval(trace, s.span);
        QVERIFY(s.startNs >= iv.startNs && s.endNs <= iv.endNs);
        QVERIFY(path.contains(s.span));
        withSegments.insert(s.span);
    }
    QCOMPARE(path.lengthNs(), total);
    int fromSegmentsOf = 0;
    for (int i = 0; i < trace.size(); ++i) {
        QCOMPARE(path.contains(i), path.spans().contains(i));
        const auto mine = path.segmentsOf(i);
        fromSegmentsOf += int(mine.size());
        for (const CriticalSegment &s : mine)
            QCOMPARE(s.span, i);
        for (size_t k = 1; k < mine.size(); ++k)
            QVERIFY(mine[k - 1].endNs <= mine[k].startNs);
    }
    QCOMPARE(fromSegmentsOf, path.segments().size());
    QVERIFY(std::is_sorted(path.spans().cbegin(), path.spans().cend()));
    // Every span on the path hangs from another one on it, or is a root.
    for (int s : path.spans()) {
        const int p = trace.parentIndex(s);
        QVERIFY(p < 0 || path.contains(p));
    }
}

} // namespace

class TestCriticalPath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void path_data()
    {
        QTest::addColumn<SpanList>("spans");
        QTest::addColumn<QStringList>("segments");  // "name start-end", in time order
        QTest::addColumn<QStringList>("onPath");    // in tree order

        QTest::addRow("single span") << SpanList{span("root", "", 0, 100)} << QStringList{"root 0-100"}
                                     << QStringList{"root"};
        QTest::addRow("single instant")  // on the path, but it holds nothing up
            << SpanList{span("root", "", 5, 5)} << QStringList{} << QStringList{"root"};
        QTest::addRow("sequential children")
            << SpanList{span("root", "", 0, 100), span("a", "root", 10, 40), span("b", "root", 50, 90)}
            << QStringList{"root 0-10", "a 10-40", "root 40-50", "b 50-90", "root 90-100"}
            << QStringList{"root", "a", "b"};
        QTest::addRow("parallel children: the one finishing last wins")
            << SpanList{span("root", "", 0, 100), span("a", "root", 10, 90), span("b", "root", 20, 60)}
            << QStringList{"root 0-10", "a 10-90", "root 90-100"} << QStringList{"root", "a"};
        QTest::addRow("overlapping siblings: the earlier one ends after the cursor")
            << SpanList{span("root", "", 0, 100), span("a", "root", 10, 50), span("b", "root", 40, 90)}
            << QStringList{"root 0-40", "b 40-90", "root 90-100"} << QStringList{"root", "b"};
        QTest::addRow("equal ends: the longer child explains more")
            << SpanList{span("root", "", 0, 100), span("short", "root", 50, 90), span("long", "root", 10, 90)}
            << QStringList{"root 0-10", "long 10-90", "root 90-100"} << QStringList{"root", "long"};
        QTest::addRow("nested")
            << SpanList{span("root", "", 0, 100), span("a", "root", 10, 90), span("a1", "a", 20, 50),
                        span("a2", "a", 50, 80), span("a2x", "a2", 60, 70)}
            << QStringList{"root 0-10", "a 10-20", "a1 20-50", "a2 50-60", "a2x 60-70", "a2 70-80", "a 80-90", "root 90-100"}
            << QStringList{"root", "a", "a1", "a2", "a2x"};
        QTest::addRow("children covering the parent leave it no own time")
            << SpanList{span("root", "", 0, 100), span("a", "root", 0, 50), span("b", "root", 50, 100)}
            << QStringList{"a 0-50", "b 50-100"} << QStringList{"root", "a", "b"};
        QTest::addRow("child overrunning its parent is clamped")
            << SpanList{span("root", "", 0, 100), span("a", "root", 50, 150), span("a1", "a", 120, 140)}
            << QStringList{"root 0-50", "a 50-100"} << QStringList{"root", "a"};
        QTest::addRow("child starting before its parent is clamped")
            << SpanList{span("root", "", 10, 100), span("early", "root", 0, 50)}
            << QStringList{"early 10-50", "root 50-100"} << QStringList{"root", "early"};
        QTest::addRow("child wholly after its parent is ignored")
            << SpanList{span("root", "", 0, 100), span("after", "root", 120, 130)} << QStringList{"root 0-100"}
            << QStringList{"root"};
        QTest::addRow("instant children are ignored")
            << SpanList{span("root", "", 0, 100), span("tick", "root", 50, 50)} << QStringList{"root 0-100"}
            << QStringList{"root"};
        QTest::addRow("orphan ending last leads, then earlier roots")
            << SpanList{span("root", "", 0, 50), span("o", "lost", 60, 100), span("o1", "o", 70, 80)}
            << QStringList{"root 0-50", "o 60-70", "o1 70-80", "o 80-100"} << QStringList{"root", "o", "o1"};
        QTest::addRow("orphan inside the root's time is not on the path")
            << SpanList{span("root", "", 0, 100), span("o", "lost", 20, 30)} << QStringList{"root 0-100"}
            << QStringList{"root"};
        QTest::addRow("roots: after the last one, the root ending last before it starts")
            << SpanList{span("r1", "", 0, 40), span("r2", "", 50, 100), span("r0", "", 10, 45)}
            << QStringList{"r0 10-45", "r2 50-100"} << QStringList{"r0", "r2"};
        QTest::addRow("unfinished spans run to the trace end")
            << SpanList{span("root", "", 0, kUnfinished), span("a", "root", 10, 40), span("b", "root", 50, 120),
                        span("c", "root", 40, kUnfinished)}
            << QStringList{"root 0-10", "a 10-40", "c 40-120"} << QStringList{"root", "a", "c"};
    }

    void path()
    {
        QFETCH(SpanList, spans);
        QFETCH(QStringList, segments);
        QFETCH(QStringList, onPath);
        const Trace trace(spans);
        const CriticalPath path(trace);
        QCOMPARE(dumpSegments(trace, path.segments()), segments);
        QCOMPARE(tracebuilder::names(trace, path.spans()), onPath);
        checkInvariants(trace, path);
    }

    void segmentsOfOneSpan()
    {
        const Trace trace(SpanList{span("root", "", 0, 100), span("a", "root", 10, 40), span("b", "root", 50, 90)});
        const CriticalPath path(trace);
        const auto root = path.segmentsOf(0);
        QCOMPARE(int(root.size()), 3);
        QCOMPARE(root[0], (CriticalSegment{0, 0, 10}));
        QCOMPARE(root[1], (CriticalSegment{0, 40, 50}));
        QCOMPARE(root[2], (CriticalSegment{0, 90, 100}));
        QCOMPARE(int(path.segmentsOf(1).size()), 1);
        QVERIFY(path.segmentsOf(-1).empty());
        QVERIFY(path.segmentsOf(99).empty());
        QCOMPARE(path.lengthNs(), 100);
    }

    void empty()
    {
        const CriticalPath path{Trace()};
        QVERIFY(path.isEmpty());
        QVERIFY(path.segments().isEmpty());
        QVERIFY(!path.contains(0));
    }

    void deepChain()
    {
        // 200,000 levels, each span inside its parent with 1 ns on either side: a recursive walk
        // would overflow the stack.
        const int depth = 200'000;
        SpanList spans;
        spans.reserve(depth);
        for (int i = 0; i < depth; ++i)
            spans << span(QString::number(i), i ? QString::number(i - 1) : QString(), i, 2 * depth - i);
        const Trace trace(spans);
        const CriticalPath path(trace);
        QCOMPARE(path.spans().size(), depth);
        QCOMPARE(path.segments().size(), 2 * depth - 1);
        QCOMPARE(path.lengthNs(), trace.durationNs());
        QCOMPARE(path.segments().first(), (CriticalSegment{0, 0, 1}));
        QCOMPARE(path.segments().last(), (CriticalSegment{0, 2 * depth - 1, 2 * depth}));
    }

    void wideFan()
    {
        // 100,000 sequential children with gaps: each step must not rescan the siblings.
        const int n = 100'000;
        SpanList spans{span("root", "", 0, 3 * qint64(n))};
        for (int i = 0; i < n; ++i)
            spans << span(QString("c%1").arg(i), "root", 3 * qint64(i) + 1, 3 * qint64(i) + 3);
        const Trace trace(spans);
        const CriticalPath path(trace);
        QCOMPARE(path.spans().size(), n + 1);
        QCOMPARE(path.segments().size(), 2 * n);  // root's 1 ns gap before each child
        QCOMPARE(path.lengthNs(), 3 * qint64(n));
    }

    void randomTreesKeepInvariants()
    {
        std::mt19937 rng(2024);
        for (int round = 0; round < 50; ++round) {
            SpanList spans;
            const int n = 1 + int(rng() % 300);
            for (int i = 0; i < n; ++i) {
                const int parent = i == 0 ? -1 : int(rng() % (i + 3)) - 3;  // some roots and orphans
                const qint64 start = rng() % 1000;
                const qint64 end = rng() % 12 == 0 ? kUnfinished : start + rng() % 400;
                spans << span(QString("s%1").arg(i), parent == -1 ? QString() : parent < -1 ? QString("lost") : QString("s%1").arg(parent),
                              start, end);
            }
            const Trace trace(spans);
            const CriticalPath path(trace);
            checkInvariants(trace, path);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QString("round %1").arg(round)));
            // The path ends where the last root that takes any time ends.
            qint64 lastRootEnd = 0;
            for (int r : trace.roots()) {
                const SpanInterval iv = spanInterval(trace, r);
                if (iv.durationNs() > 0)
                    lastRootEnd = std::max(lastRootEnd, iv.endNs);
            }
            if (path.lengthNs() > 0)
                QCOMPARE(path.segments().last().endNs, lastRootEnd);
        }
    }
};

QTEST_GUILESS_MAIN(TestCriticalPath)
#include "tst_criticalpath.moc"
