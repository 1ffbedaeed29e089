#include "compare/tracecomparison.h"

#include "comparebuilder.h"

#include <QElapsedTimer>
#include <QTest>

using namespace spanscope;
using namespace comparebuilder;

namespace {

// An agent run: plan (LLM), search (tool, with a fetch inside), answer (LLM). 1 s.
SpanList baseRun()
{
    SpanList l;
    l << span("root", {}, "agent", SpanKind::Agent, 0, 1000);
    l << llm("plan", "root", "plan", 10, 200, "gpt-4o", 100, 20, 0.001);
    l << tool("search", "root", "search", 210, 400);
    l << span("fetch", "search", "fetch page", SpanKind::Span, 220, 390);
    l << llm("answer", "root", "answer", 410, 900, "gpt-4o", 300, 50, 0.003);
    return l;
}

Span &named(SpanList &l, const QString &id)
{
    for (Span &s : l) {
        if (s.spanId == id)
            return s;
    }
    qFatal("no span %s", qPrintable(id));
}

QStringList dump(const SpanList &a, const SpanList &b, const CompareOptions &options = {})
{
    const Trace ta(a), tb(b);
    return dumpComparison(TraceComparison::compare(ta, tb, options), ta, tb);
}

} // namespace

class TestTraceComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void identicalTracesAreAllSame()
    {
        const QStringList expected{
            "= agent [agent]",
            "=   plan [llm]",
            "=   search [tool]",
            "=     fetch page [span]",
            "=   answer [llm]",
        };
        QCOMPARE(dump(baseRun(), baseRun()), expected);
        const Trace t(baseRun());
        const TraceComparison c = TraceComparison::compare(t, t);
        QCOMPARE(c.summary().same, 5);
        QCOMPARE(c.summary().changed + c.summary().added + c.summary().removed, 0);
        QCOMPARE(c.summary().deltaDurationNs, 0);
        QVERIFY(c.summary().topLatency.isEmpty());
        QVERIFY(c.summary().topCost.isEmpty());
        for (int i = 0; i < t.size(); ++i) {
            QCOMPARE(c.rowOfA(i), i);
            QCOMPARE(c.rowOfB(i), i);
        }
    }

    void insertedToolCallIsAddedWithoutShiftingLaterSiblings()
    {
        SpanList b = baseRun();
        b << tool("search2", "root", "lookup_hotel", 402, 409);
        QCOMPARE(dump(baseRun(), b), (QStringList{
                                         "= agent [agent]",
                                         "=   plan [llm]",
                                         "=   search [tool]",
                                         "=     fetch page [span]",
                                         "+   lookup_hotel [tool]",
                                         "=   answer [llm]",
                                     }));
    }

    void insertedRetryOfARepeatedToolIsAdded()
    {
        // B retried the search: the first search pairs with the first one, the retry is added.
        SpanList b = baseRun();
        Span &first = named(b, "search");
        first.status = StatusCode::Error;
        b << tool("retry", "root", "search", 401, 405);
        QCOMPARE(dump(baseRun(), b), (QStringList{
                                         "= agent [agent]",
                                         "=   plan [llm]",
                                         "~   search [tool] (status)",
                                         "=     fetch page [span]",
                                         "+   search [tool]",
                                         "=   answer [llm]",
                                     }));
    }

    void deletedSubtreeIsRemovedWithEveryDescendant()
    {
        SpanList b = baseRun();
        b.removeIf([](const Span &s) { return s.spanId == "search" || s.spanId == "fetch"; });
        const Trace ta(baseRun()), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(dumpComparison(c, ta, tb), (QStringList{
                                                 "= agent [agent]",
                                                 "=   plan [llm]",
                                                 "-   search [tool]",
                                                 "-     fetch page [span]",
                                                 "=   answer [llm]",
                                             }));
        QCOMPARE(c.summary().removed, 2);
        // Removed rows have no B side; their deltas are minus A's.
        const CompareRow &fetch = c.row(3);
        QCOMPARE(fetch.b, -1);
        QCOMPARE(fetch.parentRow, 2);
        QCOMPARE(fetch.deltaDurationNs, -170 * kMs);
        QCOMPARE(c.rowOfA(ta.indexOf("fetch")), 3);
    }

    void swappedSiblingsPairAsMoved()
    {
        SpanList a = baseRun();
        a << tool("weather", "root", "weather", 405, 408);
        SpanList b = baseRun();
        // In B the weather call ran before the search. Either of the two could be the one that
        // moved (both LCS are as long); the moved one shows at its place in B, and its children
        // are still aligned with each other.
        b << tool("weather", "root", "weather", 205, 208);
        QCOMPARE(dump(a, b), (QStringList{
                                 "= agent [agent]",
                                 "=   plan [llm]",
                                 "=   weather [tool]",
                                 "~   search [tool] (order)",
                                 "=     fetch page [span]",
                                 "=   answer [llm]",
                             }));
    }

    void renamedSpanPairsAsChanged()
    {
        SpanList b = baseRun();
        named(b, "fetch").name = "fetch web page";
        named(b, "plan").name = "plan steps";
        QCOMPARE(dump(baseRun(), b), (QStringList{
                                         "= agent [agent]",
                                         "~   plan -> plan steps [llm] (name)",
                                         "=   search [tool]",
                                         "~     fetch page -> fetch web page [span] (name)",
                                         "=   answer [llm]",
                                     }));
        // A different tool at the same place is not a rename.
        SpanList c = baseRun();
        named(c, "search").name = "browse";
        named(c, "search").toolName = "browse";
        QCOMPARE(dump(baseRun(), c), (QStringList{
                                         "= agent [agent]",
                                         "=   plan [llm]",
                                         "-   search [tool]",
                                         "-     fetch page [span]",
                                         "+   browse [tool]",
                                         "+     fetch page [span]",
                                         "=   answer [llm]",
                                     }));
    }

    void repeatedSiblingsPairInOrder()
    {
        SpanList a{span("r", {}, "loop", SpanKind::Chain, 0, 100)};
        for (int i = 0; i < 3; ++i)
            a << llm(QStringLiteral("s%1").arg(i), "r", "step", 10 + 20 * i, 25 + 20 * i, "gpt-4o", 10 + i);
        SpanList b{span("r", {}, "loop", SpanKind::Chain, 0, 100)};
        for (int i = 0; i < 2; ++i)
            b << llm(QStringLiteral("s%1").arg(i), "r", "step", 10 + 20 * i, 25 + 20 * i, "gpt-4o", 10 + i);
        const Trace ta(a), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(dumpComparison(c, ta, tb), (QStringList{
                                                 "= loop [chain]",
                                                 "=   step [llm]",
                                                 "=   step [llm]",
                                                 "-   step [llm]",
                                             }));
        QCOMPARE(ta.span(c.row(1).a).spanId, "s0");
        QCOMPARE(tb.span(c.row(1).b).spanId, "s0");
        QCOMPARE(ta.span(c.row(2).a).spanId, "s1");
        QCOMPARE(ta.span(c.row(3).a).spanId, "s2");
    }

    void differentDepthsAddAndRemoveWholeSubtrees()
    {
        // B wraps the search in a retry chain: the tool now sits one level deeper.
        SpanList b = baseRun();
        b << span("retry", "root", "with retry", SpanKind::Chain, 205, 402);
        named(b, "search").parentSpanId = "retry";
        QCOMPARE(dump(baseRun(), b), (QStringList{
                                         "= agent [agent]",
                                         "=   plan [llm]",
                                         "+   with retry [chain]",
                                         "+     search [tool]",
                                         "+       fetch page [span]",
                                         "-   search [tool]",
                                         "-     fetch page [span]",
                                         "=   answer [llm]",
                                     }));
    }

    void completelyDifferentTraces()
    {
        SpanList b{span("x", {}, "ingest pipeline", SpanKind::Chain, 0, 50),
                   span("y", "x", "embed", SpanKind::Embedding, 1, 40)};
        const Trace ta(baseRun()), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(dumpComparison(c, ta, tb), (QStringList{
                                                 "- agent [agent]",
                                                 "-   plan [llm]",
                                                 "-   search [tool]",
                                                 "-     fetch page [span]",
                                                 "-   answer [llm]",
                                                 "+ ingest pipeline [chain]",
                                                 "+   embed [embedding]",
                                             }));
        QCOMPARE(c.summary().removed, 5);
        QCOMPARE(c.summary().added, 2);
        QCOMPARE(c.rootRows().size(), size_t(2));
        QCOMPARE(c.childRows(0).size(), size_t(3));
    }

    void emptyTraces()
    {
        const Trace empty;
        const Trace t(baseRun());
        QCOMPARE(TraceComparison::compare(empty, empty).rowCount(), 0);
        const TraceComparison c = TraceComparison::compare(empty, t);
        QCOMPARE(c.rowCount(), 5);
        QCOMPARE(c.summary().added, 5);
    }

    void modelChangeIsChangedWithModelFlagged()
    {
        SpanList a = baseRun();
        named(a, "plan").name = "chat gpt-4o";
        SpanList b = baseRun();
        Span &plan = named(b, "plan");
        plan.name = "chat gpt-4o-mini";
        plan.requestModel = plan.responseModel = "gpt-4o-mini";
        plan.cost.totalUsd = 0.0002;
        const Trace ta(a), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(dumpComparison(c, ta, tb).at(1), "~   chat gpt-4o -> chat gpt-4o-mini [llm] (name, model, cost)");
        QCOMPARE(c.row(1).status, CompareStatus::Changed);
        QVERIFY(c.row(1).changes.testFlag(SpanChange::Model));
        QCOMPARE(c.row(1).deltaCostUsd, 0.0002 - 0.001);

        // The same name with a dated model of the same family pairs in the first pass.
        SpanList d = baseRun();
        named(d, "answer").responseModel = "gpt-4o-2024-11-20";
        QCOMPARE(dump(baseRun(), d).at(4), "~   answer [llm] (model)");
    }

    void modelFamily_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("family");
        QTest::addRow("plain") << "gpt-4o" << "gpt-4o";
        QTest::addRow("dated") << "gpt-4o-2024-08-06" << "gpt-4o";
        QTest::addRow("provider") << "openai/gpt-4o-mini" << "gpt-4o-mini";
        QTest::addRow("anthropic date") << "claude-3-5-sonnet-20241022" << "claude-3-5-sonnet";
        QTest::addRow("vertex") << "claude-3-5-sonnet@20240620" << "claude-3-5-sonnet";
        QTest::addRow("latest") << "Claude-3-Opus-Latest" << "claude-3-opus";
    }
    void modelFamily()
    {
        QFETCH(QString, model);
        QFETCH(QString, family);
        QCOMPARE(spanscope::modelFamily(model), family);
    }

    void llmSiblingsPreferTheSameModel()
    {
        // Two calls with the same name, one per model; B dropped the first. Claude pairs with
        // Claude instead of the first call in order.
        SpanList a{span("r", {}, "router", SpanKind::Chain, 0, 100), llm("x", "r", "chat", 1, 10, "gpt-4o"),
                   llm("y", "r", "chat", 11, 20, "claude-3-5-sonnet")};
        SpanList b{span("r", {}, "router", SpanKind::Chain, 0, 100), llm("y", "r", "chat", 11, 20, "claude-3-5-sonnet")};
        QCOMPARE(dump(a, b), (QStringList{"= router [chain]", "-   chat [llm]", "=   chat [llm]"}));
    }

    void contentChangesAreFlagged()
    {
        SpanList a = baseRun();
        Span &pa = named(a, "plan");
        pa.inputMessages = {Message{"system", "Be brief.", {}, {}, {}, {}},
                            Message{"user", "Find cheap hotels in Paris", {}, {}, {}, {}}};
        pa.outputMessages = {Message{"assistant", "", {ToolCall{"call_1", "search", "{\"q\":\"hotels\"}"}}, {}, {}, {}}};
        pa.parameters = {{"temperature", 0.2}};
        pa.input.value = "Find cheap hotels in Paris";
        SpanList b = a;
        // Tool-call ids differ from run to run: not a change.
        named(b, "plan").outputMessages[0].toolCalls[0].id = "call_9";
        QCOMPARE(dump(a, b).at(1), "=   plan [llm]");
        Span &pb = named(b, "plan");
        pb.inputMessages[1].content = "Find quiet hotels in Paris";
        pb.parameters = {{"temperature", 0.7}};
        pb.output.value = "ok";
        QCOMPARE(dump(a, b).at(1), "~   plan [llm] (output, messages, parameters)");
    }

    void durationChangeNeedsToExceedTheTolerance()
    {
        SpanList b = baseRun();
        named(b, "answer").endNs += 50 * kMs;    // 490 -> 540 ms: +10 %
        named(b, "search").endNs += 100 * kMs;   // 190 -> 290 ms: +53 %
        named(b, "root").endNs += 100 * kMs;     // 1000 -> 1100 ms: +10 %
        QCOMPARE(dump(baseRun(), b), (QStringList{
                                         "= agent [agent]",
                                         "=   plan [llm]",
                                         "~   search [tool] (duration)",
                                         "=     fetch page [span]",
                                         "=   answer [llm]",
                                     }));
        CompareOptions strict;
        strict.durationTolerance = 0.05;
        QCOMPARE(dump(baseRun(), b, strict).at(4), "~   answer [llm] (duration)");
    }

    void summaryDeltasAndTopContributors()
    {
        // B: the answer is 300 ms slower and costs more, an extra 400 ms tool call is added, and
        // the search fails. The root grows by 700 ms but its own (self) time does not change, so
        // it is not a contributor: the children account for the difference.
        SpanList b = baseRun();
        named(b, "answer").startNs += 400 * kMs;
        named(b, "answer").endNs += 700 * kMs;    // 810 -> 1600: 790 ms (was 490)
        named(b, "answer").tokens.output = 80;
        named(b, "answer").cost.totalUsd = 0.0045;
        named(b, "search").status = StatusCode::Error;
        named(b, "root").endNs += 700 * kMs;
        b << tool("extra", "root", "lookup", 405, 805);
        const Trace ta(baseRun()), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        const CompareSummary &s = c.summary();
        QCOMPARE(s.deltaDurationNs, 700 * kMs);
        QCOMPARE(s.deltaInputTokens, 0);
        QCOMPARE(s.deltaOutputTokens, 30);
        QVERIFY(qAbs(s.deltaCostUsd - 0.0015) < 1e-12);
        QCOMPARE(s.deltaErrors, 1);
        QCOMPARE(s.added, 1);
        QCOMPARE(s.removed, 0);
        QCOMPARE(s.changed, 3);  // root (duration), search (status), answer
        QCOMPARE(s.same, 2);

        QCOMPARE(s.topLatency.size(), 2);
        QCOMPARE(c.row(s.topLatency[0].row).status, CompareStatus::Added);  // +400 ms
        QCOMPARE(s.topLatency[0].deltaSelfNs, 400 * kMs);
        QCOMPARE(tb.span(c.row(s.topLatency[0].row).b).name, "lookup");
        QCOMPARE(tb.span(c.row(s.topLatency[1].row).b).name, "answer");  // +300 ms
        QCOMPARE(s.topLatency[1].deltaSelfNs, 300 * kMs);
        QCOMPARE(s.topCost.size(), 1);
        QCOMPARE(tb.span(c.row(s.topCost[0].row).b).name, "answer");
        QVERIFY(qAbs(s.topCost[0].deltaCostUsd - 0.0015) < 1e-12);

        CompareOptions one;
        one.topCount = 1;
        QCOMPARE(TraceComparison::compare(ta, tb, one).summary().topLatency.size(), 1);
    }

    void largeSiblingListsStayQuick()
    {
        // 20,000 siblings: B drops every 10th and inserts a new one every 7th; then two lists that
        // have nothing in common (the LCS would cost (M + N) * D; the greedy fallback does not).
        SpanList a{span("r", {}, "batch", SpanKind::Chain, 0, 100000)};
        SpanList b{span("r", {}, "batch", SpanKind::Chain, 0, 100000)};
        SpanList x{span("r", {}, "batch", SpanKind::Chain, 0, 100000)};
        SpanList y{span("r", {}, "batch", SpanKind::Chain, 0, 100000)};
        for (int i = 0; i < 20000; ++i) {
            const QString name = QStringLiteral("item %1").arg(i % 500);
            a << span(QStringLiteral("a%1").arg(i), "r", name, SpanKind::Tool, i * 4, i * 4 + 3);
            if (i % 10 != 0)
                b << span(QStringLiteral("b%1").arg(i), "r", name, SpanKind::Tool, i * 4, i * 4 + 3);
            if (i % 7 == 0)
                b << span(QStringLiteral("n%1").arg(i), "r", "inserted", SpanKind::Tool, i * 4 + 1, i * 4 + 2);
            x << span(QStringLiteral("x%1").arg(i), "r", QStringLiteral("x%1").arg(i), SpanKind::Tool, i * 4, i * 4 + 3);
            y << span(QStringLiteral("y%1").arg(i), "r", QStringLiteral("y%1").arg(i), SpanKind::Tool, i * 4, i * 4 + 3);
        }
        QElapsedTimer timer;
        timer.start();
        const Trace ta(a), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(c.summary().removed, 2000);
        QCOMPARE(c.summary().added, 20000 / 7 + 1);
        QCOMPARE(c.summary().same, 1 + 18000);
        const Trace tx(x), ty(y);
        const TraceComparison d = TraceComparison::compare(tx, ty);
        QCOMPARE(d.summary().removed, 20000);
        QCOMPARE(d.summary().added, 20000);
        QCOMPARE(d.rowCount(), 40001);
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        qInfo("two 20,000-sibling comparisons: %lld ms", qint64(timer.elapsed()));
    }

    void deepChainsNeedNoRecursion()
    {
        SpanList a, b;
        for (int i = 0; i < 50000; ++i) {
            const QString id = QStringLiteral("s%1").arg(i);
            const QString parent = i == 0 ? QString() : QStringLiteral("s%1").arg(i - 1);
            a << span(id, parent, "step", SpanKind::Chain, i, 200000 - i);
            b << span(id, parent, i == 49999 ? "last step" : "step", SpanKind::Chain, i, 200000 - i);
        }
        const Trace ta(a), tb(b);
        const TraceComparison c = TraceComparison::compare(ta, tb);
        QCOMPARE(c.rowCount(), 50000);
        QCOMPARE(c.row(49999).depth, 49999);
        QCOMPARE(c.row(49999).changes, SpanChanges(SpanChange::Name));
        QCOMPARE(c.summary().same, 49999);
    }

    void orphansAreRootsAlignedToo()
    {
        SpanList a = baseRun();
        a << span("late", "missing", "late callback", SpanKind::Span, 950, 990);
        SpanList b = baseRun();
        b << span("late", "missing", "late callback", SpanKind::Span, 950, 990);
        QCOMPARE(dump(a, b).last(), "= late callback [span]");
    }
};

QTEST_GUILESS_MAIN(TestTraceComparison)
#include "tst_tracecomparison.moc"
