// bench_stats [spans] [workspace-file] — times every aggregate the dashboard asks for.
// Builds (or reuses, when the file exists) a workspace of `spans` spans (default 1,000,000) written
// with the store API in bulk mode: 20,000 agent-shaped traces of 50 spans over 30 days, LLM calls on
// five models (one without a price), tools, retrievals, 97 users, 3 services, ~2 % failing tools.
// Then runs WorkspaceStats::compute for a few typical filters and prints what each part took.
// Not a test: numbers depend on the machine (see shared/PERF-NOTES.md).
#include "store/tracestore.h"
#include "store/workspacestats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>
#include <random>

#include <time.h>

using namespace spanscope;

namespace {

constexpr int SpansPerTrace = 50;
constexpr qint64 S = 1'000'000'000LL;
const qint64 Start = 20833 * WorkspaceStats::Day;
const QStringList Models = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "gpt-4.1-mini", "acme-llm-7b"};
const QStringList Tools = {"search_docs", "get_weather", "run_sql", "fetch_url", "calculator", "send_email"};
const QStringList Services = {"support-bot", "rag-api", "planner"};

SpanList makeTrace(std::mt19937_64 &rng, qint64 index, qint64 traces)
{
    SpanList out;
    out.reserve(SpansPerTrace);
    const QString tid = QStringLiteral("%1%2").arg(quint64(rng()), 16, 16, QLatin1Char('0')).arg(quint64(index), 16, 16, QLatin1Char('0'));
    const qint64 t0 = Start + index * (30 * WorkspaceStats::Day / traces) + qint64(rng() % 1000) * 1000000;
    const QString model = Models[int(rng() % Models.size())];
    Span root;
    root.traceId = tid;
    root.spanId = QStringLiteral("%1").arg(quint64(rng()), 16, 16, QLatin1Char('0'));
    root.name = QStringLiteral("invoke_agent planner");
    root.kind = SpanKind::Agent;
    root.serviceName = Services[int(index % 3)];
    root.userId = QStringLiteral("user-%1").arg(index % 97);
    root.sessionId = QStringLiteral("sess-%1").arg(index / 4);
    root.startNs = t0;
    root.status = StatusCode::Ok;
    out << root;
    qint64 cursor = t0 + 1000000;
    for (int i = 1; i < SpansPerTrace; ++i) {
        Span s;
        s.traceId = tid;
        s.spanId = QStringLiteral("%1").arg(quint64(rng()), 16, 16, QLatin1Char('0'));
        s.parentSpanId = root.spanId;
        s.serviceName = root.serviceName;
        s.startNs = cursor;
        s.status = StatusCode::Ok;
        if (i % 2 == 1) {
            s.kind = SpanKind::Llm;
            s.name = QStringLiteral("chat ") + model;
            s.requestModel = model;
            s.provider = QStringLiteral("openai");
            s.tokens.input = 200 + qint64(rng() % 4000);
            s.tokens.output = 20 + qint64(rng() % 600);
            s.tokens.cachedInput = qint64(rng() % 3) == 0 ? s.tokens.input / 2 : 0;
            s.endNs = cursor + 300'000'000 + qint64(rng() % 4'000'000'000ULL);
            if (model != Models.last()) {
                const double usd = (s.tokens.input * 2.5 + s.tokens.output * 10) / 1e6;
                s.cost = {usd, s.tokens.input * 2.5 / 1e6, s.tokens.output * 10 / 1e6, CostSource::Computed};
            }
        } else if (i % 10 == 0) {
            s.kind = SpanKind::Retriever;
            s.name = QStringLiteral("retrieve docs");
            s.endNs = cursor + 20'000'000 + qint64(rng() % 200'000'000);
        } else {
            s.kind = SpanKind::Tool;
            s.name = QStringLiteral("execute_tool ") + Tools[int(rng() % Tools.size())];
            s.endNs = cursor + 1'000'000 + qint64(rng() % 500'000'000);
            if (rng() % 50 == 0)
                s.status = StatusCode::Error;
        }
        s.input.value = QStringLiteral("input of span %1").arg(i);
        cursor = s.endNs + 100'000;
        out << s;
    }
    out[0].endNs = cursor + 500'000;
    return out;
}

// CPU time of this thread: what the reader thread spends, whatever else the machine runs.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void report(const char *label, const StatsReport &r, double totalMs, double cpuMs)
{
    std::printf("%-34s %7.1f ms wall %7.1f ms cpu |", label, totalMs, cpuMs);
    for (const auto &[what, ms] : r.timingsMs)
        std::printf(" %s %.1f |", qPrintable(what), ms);
    std::printf(" traces %lld, buckets %lld\n", (long long)r.totals.traces, (long long)r.buckets.size());
    if (!r.error.isEmpty())
        std::printf("  ERROR: %s\n", qPrintable(r.error));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 total = argc > 1 ? QString::fromLocal8Bit(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir tmp;
    const QString path = argc > 2 ? QString::fromLocal8Bit(argv[2]) : tmp.filePath(QStringLiteral("bench-stats.sqlite"));
    const qint64 traces = std::max<qint64>(1, total / SpansPerTrace);

    if (!QFileInfo::exists(path)) {
        TraceStore store;
        if (!store.open(path)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        std::mt19937_64 rng(7);
        QElapsedTimer timer;
        timer.start();
        store.beginBulk();
        SpanList batch;
        for (qint64 i = 0; i < traces; ++i) {
            batch << makeTrace(rng, i, traces);
            if (batch.size() >= 5000) {
                if (!store.writeSpans(batch)) {
                    std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
                    return 1;
                }
                batch.clear();
            }
        }
        if (!batch.isEmpty())
            store.writeSpans(batch);
        const double writeS = timer.elapsed() / 1000.0;
        timer.restart();
        store.endBulk();
        std::printf("wrote %lld spans in %.1f s (%.0f spans/s); endBulk (indexes) %.1f s\n", (long long)traces * SpansPerTrace,
                    writeS, traces * SpansPerTrace / writeS, timer.elapsed() / 1000.0);
    }

    TraceStore store;
    if (!store.open(path, TraceStore::OpenMode::ReadOnly)) {
        std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
        return 1;
    }
    const WorkspaceCounts counts = store.counts();
    std::printf("workspace %s: %lld traces, %lld spans\n", qPrintable(path), (long long)counts.traces, (long long)counts.spans);

    const qint64 end = Start + 30 * WorkspaceStats::Day;
    struct Case {
        const char *label;
        TraceQuery filter;
        QString latencyModel;
    };
    QList<Case> cases;
    cases.push_back({"all time", {}, {}});
    cases.push_back({"all time + gpt-4o latency", {}, QStringLiteral("gpt-4o")});
    {
        TraceQuery q;
        q.sinceNs = end - 7 * WorkspaceStats::Day;
        cases.push_back({"last 7 days + gpt-4o latency", q, QStringLiteral("gpt-4o")});
        q.sinceNs = end - WorkspaceStats::Day;
        cases.push_back({"last 24 hours + gpt-4o latency", q, QStringLiteral("gpt-4o")});
    }
    {
        TraceQuery q;
        q.sinceNs = Start;   // everything, but through the filter path
        cases.push_back({"since start (filter path) + gpt-4o", q, QStringLiteral("gpt-4o")});
    }
    {
        TraceQuery q;
        q.model = QStringLiteral("gpt-4o");
        cases.push_back({"model gpt-4o + its latency", q, QStringLiteral("gpt-4o")});
    }
    {
        TraceQuery q;
        q.userId = QStringLiteral("user-5");
        cases.push_back({"user user-5", q, QStringLiteral("gpt-4o")});
    }
    {
        TraceQuery q;
        q.status = TraceQuery::Status::Error;
        cases.push_back({"with errors", q, QStringLiteral("gpt-4o")});
    }
    for (const Case &c : cases) {
        StatsRequest req;
        req.filter = c.filter;
        req.latencyModel = c.latencyModel;
        req.nowNs = end;
        for (int run = 0; run < 2; ++run) {
            QElapsedTimer timer;
            timer.start();
            const double cpu = threadCpuMs();
            const StatsReport r = WorkspaceStats::compute(store, req);
            const double ms = timer.nsecsElapsed() / 1e6;
            if (run == 1)
                report(c.label, r, ms, threadCpuMs() - cpu);
        }
    }
    for (const StatsDimension d : {StatsDimension::Model, StatsDimension::Name, StatsDimension::Kind, StatsDimension::User,
                                   StatsDimension::Service}) {
        StatsRequest req;
        req.parts = StatsRequest::Groups;
        req.groupBy = d;
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuMs();
        const StatsReport r = WorkspaceStats::compute(store, req);
        const QByteArray label = "stats --by " + WorkspaceStats::dimensionName(d).toUtf8();
        report(label.constData(), r, timer.nsecsElapsed() / 1e6, threadCpuMs() - cpu);
    }
    return 0;
}
