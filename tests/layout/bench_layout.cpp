// Timings of the waterfall core on agent-shaped traces of 100,000 and 1,000,000 spans.
// Usage: bench_layout [span count ...]   (default: 100000 1000000)

#include "layout/criticalpath.h"
#include "layout/tracesearch.h"
#include "layout/tracestats.h"
#include "layout/waterfalllayout.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>

using namespace spanscope;

namespace {

constexpr qint64 kBase = 1'700'000'000'000'000'000;
constexpr qint64 kMs = 1'000'000;

double ms(qint64 ns) { return double(ns) / 1e6; }

// Median wall time of `runs` calls, in ns.
qint64 median(int runs, const std::function<void()> &f)
{
    std::vector<qint64> t;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        f();
        t.push_back(timer.nsecsElapsed());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

qint64 once(const std::function<void()> &f) { return median(1, f); }

void report(const char *what, qint64 ns, const QString &extra = {})
{
    std::printf("  %-58s %11.4f ms  %s\n", what, ms(ns), qPrintable(extra));
}

// Times `f` once, then prints; `extra` runs after the timing so it can describe the result.
void step(const char *what, const std::function<void()> &f, const std::function<QString()> &extra = {})
{
    const qint64 ns = once(f);
    report(what, ns, extra ? extra() : QString());
}

// A long agent session: sequential turns, each a planning LLM call, a burst of parallel tool calls
// (some making HTTP calls of their own), a retrieval with an embedding, a sub-agent with its own LLM
// and tool calls, and a final answer. About 20 spans per turn, depth up to 4; 1 % of tools fail and
// the last turn is still running.
class AgentTraceGenerator
{
public:
    explicit AgentTraceGenerator(int spanCount)
        : m_target(spanCount)
    {
        m_spans.reserve(spanCount);
    }

    SpanList generate()
    {
        const int root = add(QString(), m_names.session, SpanKind::Agent, 0, 0);
        qint64 t = 0;
        while (int(m_spans.size()) < m_target)
            t = addTurn(root, t) + 2 * kMs;
        m_spans[root].endNs = kBase + t;
        // Parents are added before their children, so cutting the tail keeps every parent; the
        // spans at the cut are reported as still running.
        m_spans.resize(m_target);
        for (int i = std::max(1, m_target - 5); i < m_target; ++i)
            m_spans[i].endNs = 0;
        return std::move(m_spans);
    }

private:
    struct Names {
        QString session = QStringLiteral("session");
        QString turn = QStringLiteral("agent turn");
        QString plan = QStringLiteral("plan");
        QString answer = QStringLiteral("answer");
        QString subAgent = QStringLiteral("research sub-agent");
        QString retrieve = QStringLiteral("retrieve documents");
        QString embed = QStringLiteral("embed query");
        QString http = QStringLiteral("HTTP GET");
        QString timeout = QStringLiteral("upstream timeout");
        QString model = QStringLiteral("gpt-4o-2024-08-06");
        QString smallModel = QStringLiteral("gpt-4o-mini");
        QString embedModel = QStringLiteral("text-embedding-3-small");
        QString service = QStringLiteral("agent-service");
        QString traceId = QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
        QStringList tools{QStringLiteral("web_search"), QStringLiteral("fetch_url"), QStringLiteral("run_python"),
                          QStringLiteral("read_file"), QStringLiteral("sql_query")};
    } m_names;

    qint64 rand(qint64 lo, qint64 hi) { return lo + qint64(m_rng() % quint64(hi - lo + 1)); }

    // Adds a span (end filled in by the caller once known) and returns its index.
    int add(const QString &parentId, const QString &name, SpanKind kind, qint64 start, qint64 end)
    {
        Span s;
        s.traceId = m_names.traceId;
        s.spanId = QString::number(quint64(m_spans.size()) + 0x1000000000ull, 16);
        s.parentSpanId = parentId;
        s.name = name;
        s.kind = kind;
        s.serviceName = m_names.service;
        s.startNs = kBase + start;
        s.endNs = end > 0 ? kBase + end : 0;
        m_spans.push_back(std::move(s));
        return int(m_spans.size()) - 1;
    }

    const QString &idOf(int index) const { return m_spans[index].spanId; }

    void makeLlm(int index, const QString &model, qint64 in, qint64 out)
    {
        Span &s = m_spans[index];
        s.requestModel = model;
        s.responseModel = model;
        s.tokens.input = in;
        s.tokens.output = out;
        s.cost = {double(in) * 2.5e-6 + double(out) * 1e-5, 0, 0, CostSource::Computed};
    }

    qint64 addTurn(int root, qint64 t0)
    {
        const int turnIndex = add(idOf(root), m_names.turn, SpanKind::Agent, t0, 0);
        const QString turnId = idOf(turnIndex);
        qint64 t = t0 + rand(1, 3) * kMs / 10;

        const qint64 planEnd = t + rand(400, 3000) * kMs;
        makeLlm(add(turnId, m_names.plan, SpanKind::Llm, t, planEnd), m_names.model, rand(800, 20'000), rand(50, 600));
        t = planEnd + rand(1, 5) * kMs / 10;

        // parallel tool calls
        const int tools = int(rand(1, 4));
        qint64 burstEnd = t;
        for (int k = 0; k < tools; ++k) {
            const qint64 s = t + rand(0, 20) * kMs / 10;
            const qint64 e = s + rand(20, 2500) * kMs;
            const int tool = add(turnId, m_names.tools[int(rand(0, m_names.tools.size() - 1))], SpanKind::Tool, s, e);
            if (rand(0, 99) == 0) {
                m_spans[tool].status = StatusCode::Error;
                m_spans[tool].statusMessage = m_names.timeout;
            }
            if (rand(0, 1) == 0)
                add(idOf(tool), m_names.http, SpanKind::Span, s + kMs, e - kMs / 2);
            burstEnd = std::max(burstEnd, e);
        }
        t = burstEnd + kMs;

        const qint64 retrieveEnd = t + rand(50, 400) * kMs;
        const int retrieve = add(turnId, m_names.retrieve, SpanKind::Retriever, t, retrieveEnd);
        makeLlm(add(idOf(retrieve), m_names.embed, SpanKind::Embedding, t + kMs, t + rand(20, 45) * kMs), m_names.embedModel,
                rand(5, 60), 0);
        t = retrieveEnd + kMs;

        // sub-agent: think, a couple of tools, think again
        const int sub = add(turnId, m_names.subAgent, SpanKind::Agent, t, 0);
        {
            const QString subId = idOf(sub);
            qint64 u = t + kMs;
            for (int step = 0; step < 3; ++step) {
                const qint64 e = u + rand(300, 2000) * kMs;
                makeLlm(add(subId, m_names.plan, SpanKind::Llm, u, e), m_names.smallModel, rand(500, 8000), rand(20, 300));
                u = e + kMs;
                const qint64 te = u + rand(10, 900) * kMs;
                const int tool = add(subId, m_names.tools[int(rand(0, m_names.tools.size() - 1))], SpanKind::Tool, u, te);
                add(idOf(tool), m_names.http, SpanKind::Span, u + kMs / 2, te - kMs / 4);
                u = te + kMs;
            }
            m_spans[sub].endNs = kBase + u;
            t = u + kMs;
        }

        const qint64 answerEnd = t + rand(500, 4000) * kMs;
        makeLlm(add(turnId, m_names.answer, SpanKind::Llm, t, answerEnd), m_names.model, rand(2000, 40'000), rand(100, 1500));
        t = answerEnd;
        m_spans[turnIndex].endNs = kBase + t;
        return t;
    }

    int m_target;
    SpanList m_spans;
    std::mt19937_64 m_rng{42};
};

void bench(int spanCount)
{
    std::printf("\n== %d spans, agent-shaped ==\n", spanCount);
    SpanList spans;
    step("generate spans (not part of the app)", [&] { spans = AgentTraceGenerator(spanCount).generate(); });

    Trace trace;
    step("Trace construction (ids -> tree order, models/trace)", [&] { trace = Trace(std::move(spans)); },
         [&] {
             return QStringLiteral("%1 spans, %2 roots, duration %3")
                 .arg(trace.size())
                 .arg(trace.roots().size())
                 .arg(formatDuration(trace.durationNs()));
         });

    WaterfallLayout layout;
    step("WaterfallLayout construction", [&] { layout = WaterfallLayout(trace); },
         [&] { return QStringLiteral("max depth %1").arg(layout.maxDepth()); });

    CriticalPath path;
    step("CriticalPath", [&] { path = CriticalPath(trace); }, [&] {
        return QStringLiteral("%1 spans, %2 segments, %3")
            .arg(path.spans().size())
            .arg(path.segments().size())
            .arg(formatDuration(path.lengthNs()));
    });

    TraceStats stats;
    step("TraceStats::compute (incl. summarize)", [&] { stats = TraceStats::compute(trace); },
         [&] { return QStringLiteral("%1 kinds, %2 models").arg(stats.byKind.size()).arg(stats.byModel.size()); });
    step("TraceStats::selfTimes alone", [&] { TraceStats::selfTimes(trace); });

    TraceSearch search;
    step("TraceSearch construction (error list)", [&] { search = TraceSearch(trace); },
         [&] { return QStringLiteral("%1 errors").arg(search.errors().size()); });
    step("TraceSearch::setQuery(\"fetch\")", [&] { search.setQuery(QStringLiteral("fetch")); },
         [&] { return QStringLiteral("%1 matches").arg(search.matchCount()); });
    step("TraceSearch::setQuery(\"no such text\")", [&] { search.setQuery(QStringLiteral("no such text")); },
         [&] { return QStringLiteral("%1 matches").arg(search.matchCount()); });
    report("nextError (median of 1000)", median(1000, [&] { search.nextError(spanCount / 2); }));

    // Rows: collapse and expand a turn in the middle, then the root (the biggest subtree there is).
    auto rows = [&] { return QStringLiteral("%1 rows visible").arg(layout.visibleRowCount()); };
    const int middleTurn = trace.children(0)[trace.children(0).size() / 2];
    step("collapse one turn in the middle (all rows visible)", [&] { layout.setCollapsed(middleTurn, true); }, rows);
    step("expand it again", [&] { layout.setCollapsed(middleTurn, false); }, rows);
    step("collapse the root", [&] { layout.setCollapsed(0, true); }, rows);
    step("expand the root", [&] { layout.setCollapsed(0, false); }, rows);
    step("collapseAll", [&] { layout.collapseAll(); }, rows);
    const int deepSpan = spanCount - 10;
    step("expandTo a deep span near the end", [&] { layout.expandTo(deepSpan); }, rows);
    step("collapseFromDepth(2)", [&] { layout.collapseFromDepth(2); }, rows);
    int subAgent = -1;  // the middle turn's child with the most rows under it
    for (int c : trace.children(middleTurn)) {
        if (subAgent < 0 || layout.subtreeEnd(c) - c > layout.subtreeEnd(subAgent) - subAgent)
            subAgent = c;
    }
    step("expand a depth-2 node while collapsed from depth 2", [&] { layout.setCollapsed(subAgent, false); }, rows);
    step("expandAll", [&] { layout.expandAll(); }, rows);
    report("visibleRowOf (median of 1000)", median(1000, [&] { layout.visibleRowOf(deepSpan); }));

    // A 1920 px view zoomed onto the turn in the middle, showing the 60 rows from its start.
    TimeScale scale(layout.durationNs(), 1920);
    const int firstRow = layout.visibleRowOf(middleTurn);
    scale.fit(double(layout.startNs(middleTurn)), double(layout.endNs(middleTurn)));
    QList<WaterfallBar> bars;
    const qint64 barsNs = median(1000, [&] { bars = layout.bars(firstRow, firstRow + 60, scale); });
    report("bars() for 60 visible rows (median of 1000)", barsNs, QStringLiteral("%1 bars").arg(bars.size()));

    QList<OverviewColumn> overviewCopy;
    step("overview(1920), first call", [&] { overviewCopy = layout.overview(1920); });
    report("overview(1920), cached (median of 1000)", median(1000, [&] { layout.overview(1920); }));

    // Flame mode: one frame = foldedBars for every depth.
    const double zooms[] = {1, 10, 100, 1000, 1e5};
    for (double z : zooms) {
        TimeScale flame(layout.durationNs(), 1920);
        flame.zoom(z, 1920 * 0.37);
        int blocks = 0;
        qint64 folded = 0;
        const qint64 t = median(21, [&] {
            blocks = 0;
            folded = 0;
            for (int d = 0; d <= layout.maxDepth(); ++d) {
                const QList<FoldedBar> fb = layout.foldedBars(d, flame);
                blocks += int(fb.size());
                for (const FoldedBar &b : fb)
                    folded += b.count;
            }
        });
        const QString label = QStringLiteral("foldedBars, all depths, zoom %1x (median of 21)").arg(z);
        report(qPrintable(label), t,
               QStringLiteral("window %1, %2 bars for %3 spans")
                   .arg(formatDuration(qint64(flame.windowNs())))
                   .arg(blocks)
                   .arg(folded));
    }
    report("spanAt (median of 1000)", median(1000, [&] { layout.spanAt(3, double(layout.durationNs()) * 0.61); }));
}

// The shape folding handles worst: one long span beside many short ones at the same depth, so the
// running maximum of ends cannot skip ahead and every short span in the window is visited.
void benchOverlapWorstCase(int spanCount)
{
    std::printf("\n== worst case for folding: 1 long + %d short spans at one depth ==\n", spanCount - 2);
    SpanList spans;
    spans.reserve(spanCount);
    auto make = [&](int i, int parent, qint64 start, qint64 end) {
        Span s;
        s.traceId = QStringLiteral("t");
        s.spanId = QString::number(i);
        s.parentSpanId = parent < 0 ? QString() : QString::number(parent);
        s.startNs = kBase + start;
        s.endNs = kBase + end;
        spans.push_back(std::move(s));
    };
    const qint64 total = qint64(spanCount) * 1000;
    make(0, -1, 0, total);
    make(1, 0, 0, total);
    for (int i = 2; i < spanCount; ++i)
        make(i, 0, qint64(i) * 1000, qint64(i) * 1000 + 10);
    const Trace trace(std::move(spans));
    const WaterfallLayout layout(trace);
    for (double z : {1.0, 100.0}) {
        TimeScale scale(layout.durationNs(), 1920);
        scale.zoom(z, 960);
        int blocks = 0;
        const qint64 t = median(11, [&] { blocks = int(layout.foldedBars(1, scale).size()); });
        const QString label = QStringLiteral("foldedBars depth 1, zoom %1x (median of 11)").arg(z);
        report(qPrintable(label), t, QStringLiteral("%1 bars").arg(blocks));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes << QString::fromLocal8Bit(argv[i]).toInt();
    if (sizes.isEmpty())
        sizes = {100'000, 1'000'000};
    for (int n : sizes)
        bench(n);
    benchOverlapWorstCase(sizes.last());
    return 0;
}
