// bench_store [workspace-dir] — import and query timings of the workspace store.
// Writes 200,000 LLM-like spans (~2 KB of input/output text each) in batches of 1,000 in bulk
// mode, then times endBulk, indexFullText, a trace-list page, an FTS search and loading a
// 20,000-span trace. Not a test: numbers depend on the machine (see shared/PERF-NOTES.md).
#include "store/tracestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <random>

#include <time.h>

using namespace spanscope;

namespace {

constexpr int TotalSpans = 200000;
constexpr int BatchSize = 1000;
constexpr int BigTraceSpans = 20000;
constexpr int SpansPerTrace = 20;

const QStringList Models = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "llama-3.1-70b", "mistral-large"};
const QStringList Services = {"support-bot", "rag-api", "planner"};

class Generator
{
public:
    Generator() : m_rng(42)
    {
        static const char *syllables[] = {"ka", "lo", "mi", "ren", "tu", "sha", "vo", "pel", "dri", "an",
                                          "qui", "zor", "ne", "bas", "fi", "gol", "ur", "tem", "cy", "ox"};
        std::uniform_int_distribution<int> syl(0, 19), len(1, 4);
        for (int i = 0; i < 4000; ++i) {
            QString w;
            const int n = len(m_rng);
            for (int k = 0; k < n; ++k)
                w += QLatin1String(syllables[syl(m_rng)]);
            m_words << w;
        }
    }

    QString text(int chars)
    {
        // Zipf-like: a few words are very common, most are rare (as in real prose).
        std::uniform_real_distribution<double> u(0, 1);
        QString t;
        t.reserve(chars + 16);
        while (t.size() < chars) {
            const int i = int(std::pow(u(m_rng), 3.0) * (m_words.size() - 1));
            t += m_words[i];
            t += QLatin1Char(' ');
        }
        return t;
    }

    Span span(const QString &traceId, int index, const QString &parent, qint64 start)
    {
        std::uniform_int_distribution<int> pick(0, 1000);
        Span s;
        s.traceId = traceId;
        s.spanId = QStringLiteral("%1").arg(quint64(m_rng()), 16, 16, QLatin1Char('0'));
        s.parentSpanId = parent;
        s.kind = parent.isEmpty() ? SpanKind::Agent : (index % 5 == 4 ? SpanKind::Tool : SpanKind::Llm);
        s.name = s.kind == SpanKind::Llm ? QStringLiteral("chat ") + Models[index % Models.size()]
                                         : QStringLiteral("step %1").arg(index);
        s.otelKind = 3;
        s.serviceName = Services[pick(m_rng) % Services.size()];
        s.scopeName = QStringLiteral("opentelemetry.instrumentation.openai");
        s.scopeVersion = QStringLiteral("0.30.0");
        s.startNs = start;
        s.endNs = start + 1000000 + pick(m_rng) * 50000;
        s.status = pick(m_rng) < 20 ? StatusCode::Error : StatusCode::Ok;
        s.sessionId = QStringLiteral("session-%1").arg(pick(m_rng) % 300);
        s.userId = QStringLiteral("user-%1").arg(pick(m_rng) % 100);
        // With the encoded rest (messages, attributes, …) about 2 KB of details per span.
        s.input = {text(900), QStringLiteral("text/plain")};
        s.output = {text(650), QStringLiteral("text/plain")};
        if (s.kind == SpanKind::Llm) {
            s.operation = QStringLiteral("chat");
            s.requestModel = Models[index % Models.size()];
            s.responseModel = s.requestModel + QStringLiteral("-2024-08-06");
            s.provider = QStringLiteral("openai");
            s.parameters = {{QStringLiteral("temperature"), 0.7}, {QStringLiteral("max_tokens"), qint64(1024)}};
            s.tokens.input = 200 + pick(m_rng);
            s.tokens.output = 50 + pick(m_rng) / 2;
            s.tokens.total = s.tokens.input + s.tokens.output;
            s.cost = {s.tokens.total * 2e-6, s.tokens.input * 1e-6, s.tokens.output * 3e-6, CostSource::Computed};
            s.inputMessages = {{QStringLiteral("system"), QStringLiteral("You are a helpful assistant."), {}, {}, {}, {}},
                               {QStringLiteral("user"), s.input.value.left(100), {}, {}, {}, {}}};
            s.outputMessages = {{QStringLiteral("assistant"), s.output.value.left(100), {}, {}, {}, QStringLiteral("stop")}};
        } else if (s.kind == SpanKind::Tool) {
            s.toolName = QStringLiteral("search_docs");
        }
        s.attributes = {{QStringLiteral("gen_ai.system"), QStringLiteral("openai")},
                        {QStringLiteral("gen_ai.request.model"), s.requestModel},
                        {QStringLiteral("gen_ai.request.temperature"), 0.7},
                        {QStringLiteral("gen_ai.request.max_tokens"), qint64(1024)},
                        {QStringLiteral("gen_ai.usage.input_tokens"), s.tokens.input},
                        {QStringLiteral("gen_ai.usage.output_tokens"), s.tokens.output},
                        {QStringLiteral("llm.is_streaming"), false},
                        {QStringLiteral("input.value"), s.input.value},
                        {QStringLiteral("output.value"), s.output.value}};
        s.resourceAttributes = {{QStringLiteral("service.name"), s.serviceName},
                                {QStringLiteral("telemetry.sdk.language"), QStringLiteral("python")},
                                {QStringLiteral("telemetry.sdk.name"), QStringLiteral("opentelemetry")},
                                {QStringLiteral("telemetry.sdk.version"), QStringLiteral("1.27.0")},
                                {QStringLiteral("host.name"), QStringLiteral("worker-7")}};
        return s;
    }

    const QStringList &words() const { return m_words; }

private:
    std::mt19937_64 m_rng;
    QStringList m_words;
};

// CPU time of this thread: the machine is shared, so wall time alone says little.
qint64 threadCpuNs()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

template<typename F>
double medianMs(int runs, F &&f)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        times << ms(t);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir tmp;
    QStringList args = app.arguments().mid(1);
    // --write-only: stop after the bulk write (for profiling the import path)
    const bool writeOnly = args.removeAll(QStringLiteral("--write-only")) > 0;
    const QString dir = !args.isEmpty() ? args.first() : tmp.path();
    const QString path = dir + QStringLiteral("/bench.sqlite");
    QFile::remove(path);

    TraceStore store;
    if (!store.open(path)) {
        std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
        return 1;
    }
    Generator gen;
    const QString bigTrace = QStringLiteral("00000000000000000000000000big000");

    if (!store.beginBulk()) {
        std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
        return 1;
    }
    qint64 writeNs = 0, writeCpuNs = 0, detailBytes = 0;
    QElapsedTimer wall;
    wall.start();
    int produced = 0, traceNo = 0, inTrace = 0;
    QString traceId = bigTrace, rootId;
    qint64 clock = 1700000000000000000LL;
    while (produced < TotalSpans) {
        SpanList batch;
        batch.reserve(BatchSize);
        while (batch.size() < BatchSize && produced < TotalSpans) {
            const int limit = traceNo == 0 ? BigTraceSpans : SpansPerTrace;
            if (inTrace == limit) {
                ++traceNo;
                inTrace = 0;
                traceId = QStringLiteral("%1").arg(traceNo * 2654435761ULL % 0xffffffffffffULL, 32, 16, QLatin1Char('0'));
            }
            Span s = gen.span(traceId, inTrace, inTrace == 0 ? QString() : rootId, clock);
            clock += 2000000;
            if (inTrace == 0)
                rootId = s.spanId;
            detailBytes += (s.input.value.size() + s.output.value.size());
            batch.push_back(std::move(s));
            ++inTrace;
            ++produced;
        }
        QElapsedTimer t;
        t.start();
        const qint64 cpu0 = threadCpuNs();
        if (!store.writeSpans(batch)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        writeCpuNs += threadCpuNs() - cpu0;
        writeNs += t.nsecsElapsed();
    }
    const double writeS = double(writeNs) / 1e9;
    std::printf("bulk write: %d spans in %.2f s -> %.0f rows/s wall (%.0f rows/s of writer CPU time; %.0f rows/s "
                "incl. generating them); avg input+output %.0f chars\n",
                TotalSpans, writeS, TotalSpans / writeS, TotalSpans / (double(writeCpuNs) / 1e9),
                TotalSpans / (ms(wall) / 1000), double(detailBytes) / TotalSpans);

    if (writeOnly) {
        std::printf("db %.0f MB, wal %.0f MB\n", QFileInfo(path).size() / 1e6, QFileInfo(path + "-wal").size() / 1e6);
        return 0;
    }
    QElapsedTimer t;
    t.start();
    store.endBulk();
    std::printf("endBulk: %.1f ms\n", ms(t));
    std::printf("pending full text before indexing: %lld\n", store.counts().pendingFullText);
    t.start();
    const qint64 indexed = store.indexFullText();
    std::printf("indexFullText: %lld spans in %.2f s (%.1f MB/s of text)\n", indexed, ms(t) / 1000,
                double(detailBytes) / (ms(t) / 1000) / 1e6);

    TraceQuery q;
    q.sort = TraceQuery::Sort::Duration;
    q.model = QStringLiteral("GPT-4O-MINI-2024-08-06");  // model(): the response model
    q.limit = 100;
    int rows = 0;
    std::printf("trace list page (duration desc, model filter, 100 rows): %.2f ms median of 9",
                medianMs(9, [&] { rows = int(store.listTraces(q).size()); }));
    std::printf(" [%d rows, %lld matching]\n", rows, store.countTraces(q));
    q.model.clear();
    q.sort = TraceQuery::Sort::Cost;
    std::printf("trace list page (cost desc, no filter): %.2f ms\n", medianMs(9, [&] { store.listTraces(q); }));
    const QString word = gen.words().at(1500);
    int hits = 0;
    std::printf("FTS search \"%s\" (100 hits): %.2f ms median of 9", qPrintable(word),
                medianMs(9, [&] { hits = int(store.search(word, 100).size()); }));
    std::printf(" [%d hits]\n", hits);
    q.search = word;
    std::printf("trace list page with search filter: %.2f ms\n", medianMs(9, [&] { store.listTraces(q); }));

    // Results are kept until all runs are done: freeing 20,000 spans is the caller's cost, not the load's.
    QList<SpanList> kept;
    std::printf("load %d-span trace, narrow: %.1f ms median of 5", BigTraceSpans,
                medianMs(5, [&] { kept << store.loadSpans(bigTrace, false); }));
    std::printf(" [%d spans]\n", int(kept.first().size()));
    kept.clear();
    std::printf("load %d-span trace, with details: %.1f ms median of 3\n", BigTraceSpans,
                medianMs(3, [&] { kept << store.loadSpans(bigTrace, true); }));
    kept.clear();

    // Live ingest after the import: small batches, full-text kept current by writeSpans itself.
    Generator live;
    qint64 liveNs = 0;
    for (int b = 0; b < 20; ++b) {
        SpanList batch;
        const QString id = QStringLiteral("live%1").arg(b, 28, 10, QLatin1Char('0'));
        QString root;
        for (int i = 0; i < 50; ++i) {
            batch << live.span(id, i, root, clock += 1000);
            if (i == 0)
                root = batch.first().spanId;
        }
        QElapsedTimer lt;
        lt.start();
        store.writeSpans(batch);
        liveNs += lt.nsecsElapsed();
    }
    std::printf("live writes (20 batches of 50, FTS maintained): %.0f rows/s, %.2f ms per batch\n",
                1000 / (double(liveNs) / 1e9), double(liveNs) / 20 / 1e6);
    const WorkspaceCounts c = store.counts();
    store.close();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("stats"));
        db.setDatabaseName(path);
        const bool opened = db.open();
        QSqlQuery stats(db);
        if (opened
            && stats.exec(QStringLiteral("SELECT avg(length(CAST(input AS BLOB)) + length(CAST(output AS BLOB))), "
                                         "avg(ifnull(length(extra), 0)) FROM span_details"))
            && stats.next()) {
            std::printf("details per span: %.0f bytes of input/output text + %.0f bytes of encoded fields\n",
                        stats.value(0).toDouble(), stats.value(1).toDouble());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("stats"));
    std::printf("workspace: %lld traces, %lld spans, %lld pending; file %.0f MB\n", c.traces, c.spans,
                c.pendingFullText, double(QFileInfo(path).size()) / 1e6);
    return 0;
}
