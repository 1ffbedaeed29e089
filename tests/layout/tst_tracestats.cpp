#include "layout/tracestats.h"
#include "tracebuilder.h"

#include <QTest>

using namespace spanscope;
using tracebuilder::kUnfinished;
using tracebuilder::span;

namespace {

Span llm(const QString &id, const QString &parent, qint64 start, qint64 end, const QString &model, qint64 in,
         qint64 out, double cost, CostSource source, bool error = false)
{
    Span s = span(id, parent, start, end, SpanKind::Llm, error);
    s.responseModel = model;
    s.tokens.input = in;
    s.tokens.output = out;
    s.cost.totalUsd = cost;
    s.cost.source = source;
    return s;
}

//  agent [0,100]
//    early (retriever) [-10,5]     starts before its parent
//    c1 (llm) [10,30]
//    c2 (llm) [20,50]               overlaps c1, failed
//      emb (embedding) [25,35]
//    t1 (tool) [60,70]
//    t2 (tool) [95,120]             runs past its parent
SpanList agentSpans()
{
    Span emb = span("emb", "c2", 25, 35, SpanKind::Embedding);
    emb.requestModel = "text-embedding-3";
    emb.tokens.input = 50;
    emb.cost = {0.001, 0, 0, CostSource::Computed};
    return SpanList{
        span("agent", "", 0, 100, SpanKind::Agent),
        span("early", "agent", -10, 5, SpanKind::Retriever),
        llm("c1", "agent", 10, 30, "gpt-4o", 100, 20, 0.01, CostSource::Reported),
        llm("c2", "agent", 20, 50, "gpt-4o", 200, 30, 0.02, CostSource::Computed, true),
        emb,
        span("t1", "agent", 60, 70, SpanKind::Tool),
        span("t2", "agent", 95, 120, SpanKind::Tool),
    };
}

} // namespace

class TestTraceStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selfTimes_data()
    {
        QTest::addColumn<SpanList>("spans");
        QTest::addColumn<QStringList>("self");  // "name ns" in tree order

        // agent: children cover [0,5] + [10,50] + [60,70] + [95,100] = 60 of its 100
        QTest::addRow("overlapping, early and overrunning children")
            << agentSpans() << QStringList{"agent 40", "early 15", "c1 20", "c2 20", "emb 10", "t1 10", "t2 25"};
        QTest::addRow("leaf") << SpanList{span("only", "", 0, 42)} << QStringList{"only 42"};
        QTest::addRow("child covering its parent")
            << SpanList{span("p", "", 10, 20), span("c", "p", 0, 30)} << QStringList{"p 0", "c 30"};
        QTest::addRow("nested children count once")
            << SpanList{span("p", "", 0, 100), span("c", "p", 10, 60), span("g", "c", 20, 90)}
            << QStringList{"p 50", "c 10", "g 70"};
        QTest::addRow("instant child")
            << SpanList{span("p", "", 0, 100), span("c", "p", 50, 50)} << QStringList{"p 100", "c 0"};
        QTest::addRow("unfinished parent runs to the trace end")
            << SpanList{span("p", "", 0, kUnfinished), span("c1", "p", 10, 30), span("c2", "p", 40, 200)}
            << QStringList{"p 20", "c1 20", "c2 160"};
        QTest::addRow("unfinished child")
            << SpanList{span("p", "", 0, 100), span("c", "p", 50, kUnfinished)} << QStringList{"p 50", "c 50"};
        QTest::addRow("adjacent children merge")
            << SpanList{span("p", "", 0, 100), span("a", "p", 10, 20), span("b", "p", 20, 30), span("c", "p", 25, 28)}
            << QStringList{"p 80", "a 10", "b 10", "c 3"};
    }

    void selfTimes()
    {
        QFETCH(SpanList, spans);
        QFETCH(QStringList, self);
        const Trace trace(spans);
        const QList<qint64> times = TraceStats::selfTimes(trace);
        QStringList got;
        for (int i = 0; i < trace.size(); ++i)
            got << QString("%1 %2").arg(trace.span(i).name).arg(times[i]);
        QCOMPARE(got, self);
    }

    void totals()
    {
        const Trace trace(agentSpans());
        const TraceStats stats = TraceStats::compute(trace);
        QCOMPARE(stats.totals.durationNs(), 130);
        QCOMPARE(stats.totals.spanCount, 7);
        QCOMPARE(stats.totals.llmCount, 2);
        QCOMPARE(stats.totals.toolCount, 2);
        QCOMPARE(stats.totals.errorCount, 1);
        QCOMPARE(stats.totals.inputTokens, 350);
        QCOMPARE(stats.totals.outputTokens, 50);
        QCOMPARE(stats.totals.costUsd, 0.031);
        QCOMPARE(stats.totals, summarize(trace.spans()));
    }

    void byKind_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("errors");
        QTest::addColumn<qint64>("totalNs");
        QTest::addColumn<qint64>("selfNs");
        QTest::addColumn<qint64>("inputTokens");
        QTest::addColumn<double>("cost");
        // in SpanKind order, only the kinds that occur
        QTest::addRow("llm") << 0 << int(SpanKind::Llm) << 2 << 1 << qint64(50) << qint64(40) << qint64(300) << 0.03;
        QTest::addRow("tool") << 1 << int(SpanKind::Tool) << 2 << 0 << qint64(35) << qint64(35) << qint64(0) << 0.0;
        QTest::addRow("retriever") << 2 << int(SpanKind::Retriever) << 1 << 0 << qint64(15) << qint64(15) << qint64(0) << 0.0;
        QTest::addRow("embedding") << 3 << int(SpanKind::Embedding) << 1 << 0 << qint64(10) << qint64(10) << qint64(50) << 0.001;
        QTest::addRow("agent") << 4 << int(SpanKind::Agent) << 1 << 0 << qint64(100) << qint64(40) << qint64(0) << 0.0;
    }

    void byKind()
    {
        QFETCH(int, row);
        QFETCH(int, kind);
        QFETCH(int, spans);
        QFETCH(int, errors);
        QFETCH(qint64, totalNs);
        QFETCH(qint64, selfNs);
        QFETCH(qint64, inputTokens);
        QFETCH(double, cost);
        const TraceStats stats = TraceStats::compute(Trace(agentSpans()));
        QCOMPARE(stats.byKind.size(), 5);
        const KindStats &k = stats.byKind[row];
        QCOMPARE(int(k.kind), kind);
        QCOMPARE(k.stats.spans, spans);
        QCOMPARE(k.stats.errors, errors);
        QCOMPARE(k.stats.totalNs, totalNs);
        QCOMPARE(k.stats.selfNs, selfNs);
        QCOMPARE(k.stats.inputTokens, inputTokens);
        QCOMPARE(k.stats.costUsd + 1, cost + 1);  // fuzzy compare around zero
    }

    void byModel()
    {
        const TraceStats stats = TraceStats::compute(Trace(agentSpans()));
        QCOMPARE(stats.byModel.size(), 2);
        const ModelStats &gpt = stats.byModel[0];
        QCOMPARE(gpt.model, "gpt-4o");
        QCOMPARE(gpt.stats.spans, 2);
        QCOMPARE(gpt.stats.errors, 1);
        QCOMPARE(gpt.stats.totalNs, 50);
        QCOMPARE(gpt.stats.selfNs, 40);
        QCOMPARE(gpt.stats.inputTokens, 300);
        QCOMPARE(gpt.stats.outputTokens, 50);
        QCOMPARE(gpt.stats.costUsd, 0.03);
        const ModelStats &emb = stats.byModel[1];
        QCOMPARE(emb.model, "text-embedding-3");  // the requested model when no answer named one
        QCOMPARE(emb.stats.spans, 1);
        QCOMPARE(emb.stats.costUsd, 0.001);
    }

    void emptyTrace()
    {
        const TraceStats stats = TraceStats::compute(Trace());
        QCOMPARE(stats.totals.spanCount, 0);
        QVERIFY(stats.byKind.isEmpty());
        QVERIFY(stats.byModel.isEmpty());
        QVERIFY(TraceStats::selfTimes(Trace()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTraceStats)
#include "tst_tracestats.moc"
