// Dashboard / `spanscope stats` aggregates against hand-computed numbers on a small fixture, the
// trace_facets rollup against the spans it sums, the drill-down filters, and recomputing costs.
#include "store/tracestore.h"
#include "store/workspacestats.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace spanscope;

namespace {

constexpr qint64 S = 1'000'000'000LL;
constexpr qint64 Ms = 1'000'000LL;
constexpr qint64 H = WorkspaceStats::Hour;
constexpr qint64 D = WorkspaceStats::Day;
constexpr qint64 T0 = 20833 * D;   // a UTC midnight

Span span(const QString &trace, const QString &id, const QString &parent, const QString &name, SpanKind kind, qint64 start,
          qint64 duration)
{
    Span s;
    s.traceId = trace;
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name;
    s.kind = kind;
    s.startNs = start;
    s.endNs = start + duration;
    s.status = StatusCode::Ok;
    return s;
}

Span llm(const QString &trace, const QString &id, const QString &parent, const QString &name, const QString &model,
         qint64 start, qint64 duration, qint64 in, qint64 out, double cost, CostSource source)
{
    Span s = span(trace, id, parent, name, SpanKind::Llm, start, duration);
    s.requestModel = model;
    s.provider = QStringLiteral("openai");
    s.tokens.input = in;
    s.tokens.output = out;
    if (source != CostSource::None)
        s.cost = {cost, cost * 0.25, cost * 0.75, source};
    return s;
}

// Five traces; the comments give what the tests below expect.
SpanList fixture()
{
    SpanList out;
    // a: 00:00:00 exactly, alice, 10 s; two gpt-4o calls (2 s computed $0.01 with 200 cached, 1 s
    // reported $0.005) and a failing tool.
    const qint64 a = T0;
    Span ra = span("a", "a0", "", "agent", SpanKind::Agent, a, 10 * S);
    ra.userId = "alice";
    ra.serviceName = "svc1";
    out << ra;
    Span a1 = llm("a", "a1", "a0", "chat gpt-4o", "gpt-4o", a + S, 2 * S, 1000, 100, 0.01, CostSource::Computed);
    a1.tokens.cachedInput = 200;
    out << a1;
    out << llm("a", "a2", "a0", "chat gpt-4o", "gpt-4o", a + 3 * S, 1 * S, 500, 50, 0.005, CostSource::Reported);
    Span a3 = span("a", "a3", "a0", "search", SpanKind::Tool, a + 5 * S, 3 * S);
    a3.status = StatusCode::Error;
    out << a3;
    // b: the last nanosecond of hour 0, bob, 4 s; a gpt-4o-mini call without a price, a gpt-4o call.
    const qint64 b = T0 + H - 1;
    Span rb = span("b", "b0", "", "agent", SpanKind::Agent, b, 4 * S);
    rb.userId = "bob";
    rb.serviceName = "svc1";
    out << rb << llm("b", "b1", "b0", "chat mini", "gpt-4o-mini", b + 1, 1 * S, 100, 10, 0, CostSource::None)
        << llm("b", "b2", "b0", "chat gpt-4o", "gpt-4o", b + S, 3 * S, 200, 20, 0.002, CostSource::Computed);
    // c: exactly 01:00, alice, 1 s, the root failed; one gpt-4o call of 0.5 s.
    const qint64 c = T0 + H;
    Span rc = span("c", "c0", "", "agent", SpanKind::Agent, c, 1 * S);
    rc.userId = "alice";
    rc.serviceName = "svc1";
    rc.status = StatusCode::Error;
    out << rc << llm("c", "c1", "c0", "chat gpt-4o", "gpt-4o", c + 100 * Ms, 500 * Ms, 100, 10, 0.001, CostSource::Computed);
    // d: 03:30, no user, 0.25 s, nothing priced.
    Span rd = span("d", "d0", "", "ping", SpanKind::Span, T0 + 3 * H + 30 * WorkspaceStats::Minute, 250 * Ms);
    rd.serviceName = "svc2";
    out << rd;
    // e: the next day, carol, 20 s; a 5 s acme-x call reported at $1.
    const qint64 e = T0 + D + 5;
    Span re = span("e", "e0", "", "agent", SpanKind::Agent, e, 20 * S);
    re.userId = "carol";
    re.serviceName = "svc1";
    out << re << llm("e", "e1", "e0", "chat acme", "acme-x", e + S, 5 * S, 10, 10, 1.0, CostSource::Reported);
    return out;
}

// A plain connection to the workspace file, to look at what the store wrote.
class RawDb
{
public:
    explicit RawDb(const QString &path) : m_name(QStringLiteral("raw-stats-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql)
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (!ok)
            qWarning() << q.lastError().text() << sql;
        return ok;
    }
    // Every row of a query as text, one line per row.
    QStringList rows(const QString &sql)
    {
        QStringList out;
        QSqlQuery q(db());
        if (!q.exec(sql)) {
            qWarning() << q.lastError().text() << sql;
            return out;
        }
        while (q.next()) {
            QStringList cols;
            for (int i = 0; i < q.record().count(); ++i) {
                const QVariant v = q.value(i);
                cols << (v.typeId() == QMetaType::Double ? QString::number(v.toDouble(), 'g', 12) : v.toString());
            }
            out << cols.join(QLatin1Char('|'));
        }
        return out;
    }

private:
    QString m_name;
    static inline int s_counter = 0;
};

// trace_facets as stored, and as a fresh GROUP BY over the spans gives it.
const char FacetsStored[] =
    "SELECT trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns, max_duration_ns, input_tokens, "
    "output_tokens, cached_tokens, round(cost_usd, 12), round(computed_cost_usd, 12), priced_count, unpriced_count "
    "FROM trace_facets ORDER BY 1, 2, 3, 4";
const char FacetsFromSpans[] =
    "SELECT trace_id, kind, name, model, count(*), sum(status = 2), sum(end_ns > 0), "
    "sum(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END), max(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END), "
    "sum(max(input_tokens, 0)), sum(max(output_tokens, 0)), sum(max(cached_tokens, 0)), "
    "round(total(CASE WHEN cost_source <> 0 THEN cost_usd END), 12), round(total(CASE WHEN cost_source = 2 THEN cost_usd END), 12), "
    "sum(cost_source <> 0), sum(model <> '' AND cost_source = 0 AND (input_tokens >= 0 OR output_tokens >= 0 OR total_tokens >= 0 "
    "OR cached_tokens >= 0 OR cache_creation_tokens >= 0 OR reasoning_tokens >= 0)) "
    "FROM spans GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

QStringList keys(const QList<StatsGroup> &groups)
{
    QStringList out;
    for (const StatsGroup &g : groups)
        out << g.key;
    return out;
}

} // namespace

class TestWorkspaceStats : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("w%1.sqlite").arg(++m_n)); }

    QString fixtureWorkspace()
    {
        const QString path = freshPath();
        TraceStore store;
        if (!store.open(path) || !store.writeSpans(fixture()))
            qWarning() << store.lastError();
        return path;
    }

private Q_SLOTS:
    void totalsWithoutFilters()
    {
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        const StatsReport r = WorkspaceStats::compute(store, {});
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const StatsTotals &t = r.totals;
        QCOMPARE(t.traces, 5);
        QCOMPARE(t.errorTraces, 2);   // a (the tool) and c (the root)
        QCOMPARE(t.spans, 12);
        QCOMPARE(t.errorSpans, 2);
        QCOMPARE(t.llmCalls, 6);
        QCOMPARE(t.inputTokens, 1910);
        QCOMPARE(t.outputTokens, 200);
        QCOMPARE(t.cachedTokens, 200);
        QVERIFY(near(t.costUsd, 1.018));
        QVERIFY(near(t.computedCostUsd, 0.013));
        QCOMPARE(t.pricedSpans, 5);
        QCOMPARE(t.unpricedSpans, 1);
        QCOMPARE(t.unpricedModels, QStringList{"gpt-4o-mini"});
        QCOMPARE(t.firstStartNs, T0);
        QCOMPARE(t.lastStartNs, T0 + D + 5);
    }

    void hourBucketsAtTheRangeEdges()
    {
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        StatsRequest req;
        req.filter.sinceNs = T0;
        req.filter.untilNs = T0 + 4 * H;
        req.bucketNs = H;
        const StatsReport r = WorkspaceStats::compute(store, req);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.bucketNs, H);
        QCOMPARE(r.rangeStartNs, T0);
        QCOMPARE(r.rangeEndNs, T0 + 4 * H);
        // a (00:00:00 exactly) and b (00:59:59.999999999) in hour 0, c (01:00 exactly) in hour 1, no
        // bucket for hour 2, d in hour 3, e after the range.
        QCOMPARE(r.buckets.size(), 3);
        const TimeBucket &h0 = r.buckets[0], &h1 = r.buckets[1], &h3 = r.buckets[2];
        QCOMPARE(h0.startNs, T0);
        QCOMPARE(h0.traces, 2);
        QCOMPARE(h0.errorTraces, 1);
        QCOMPARE(h0.spans, 7);
        QCOMPARE(h0.llmCalls, 4);
        QCOMPARE(h0.inputTokens, 1800);
        QCOMPARE(h0.outputTokens, 180);
        QCOMPARE(h0.cachedTokens, 200);
        QVERIFY(near(h0.costUsd, 0.017));
        QCOMPARE(h0.pricedSpans, 3);
        QCOMPARE(h0.unpricedSpans, 1);
        QCOMPARE(h0.errorRate(), 0.5);
        QCOMPARE(h1.startNs, T0 + H);
        QCOMPARE(h1.traces, 1);
        QCOMPARE(h1.errorTraces, 1);
        QVERIFY(near(h1.costUsd, 0.001));
        QCOMPARE(h3.startNs, T0 + 3 * H);
        QCOMPARE(h3.traces, 1);
        QCOMPARE(h3.costUsd, 0.0);
        QCOMPARE(h3.pricedSpans, 0);

        // Cost by model: the unpriced model is there with its span count, flagged, not as $0 of cost.
        QCOMPARE(r.models, (QStringList{"gpt-4o", "gpt-4o-mini"}));
        QCOMPARE(r.modelBuckets.size(), 3);
        QCOMPARE(r.modelBuckets[0].startNs, T0);
        QCOMPARE(r.modelBuckets[0].model, QStringLiteral("gpt-4o"));
        QCOMPARE(r.modelBuckets[0].spans, 3);
        QVERIFY(near(r.modelBuckets[0].costUsd, 0.017));
        QCOMPARE(r.modelBuckets[1].model, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(r.modelBuckets[1].pricedSpans, 0);
        QCOMPARE(r.modelBuckets[1].unpricedSpans, 1);
        QCOMPARE(r.modelBuckets[2].startNs, T0 + H);

        // One nanosecond later at the start and the end: a drops out, c (start == until) too.
        req.filter.sinceNs = T0 + 1;
        req.filter.untilNs = T0 + H;
        const StatsReport edge = WorkspaceStats::compute(store, req);
        QCOMPARE(edge.totals.traces, 1);
        QCOMPARE(edge.buckets.size(), 1);
        QCOMPARE(edge.buckets[0].startNs, T0);
        QCOMPARE(edge.buckets[0].traces, 1);
        QCOMPARE(edge.rangeStartNs, T0);
        QCOMPARE(edge.rangeEndNs, T0 + H);
    }

    void bucketsFollowTheUtcOffsetAndTheRange()
    {
        QCOMPARE(WorkspaceStats::autoBucket(15 * WorkspaceStats::Minute), WorkspaceStats::Minute);
        QCOMPARE(WorkspaceStats::autoBucket(6 * H), WorkspaceStats::Minute);
        QCOMPARE(WorkspaceStats::autoBucket(6 * H + 1), H);
        QCOMPARE(WorkspaceStats::autoBucket(10 * D), H);
        QCOMPARE(WorkspaceStats::autoBucket(30 * D), D);
        // Never more than MaxBuckets bars, even for a decade.
        const qint64 decade = 3653 * D;
        const qint64 w = WorkspaceStats::autoBucket(decade);
        QCOMPARE(w % D, 0);
        QVERIFY(decade / w + 1 <= WorkspaceStats::MaxBuckets);
        QCOMPARE(WorkspaceStats::bucketStart(T0 + 5, D, 0), T0);
        // UTC+02:00: local midnight is 22:00 UTC the day before.
        QCOMPARE(WorkspaceStats::bucketStart(T0 + 5, D, 2 * 3600), T0 - 2 * H);
        QCOMPARE(WorkspaceStats::bucketStart(T0 + 22 * H, D, 2 * 3600), T0 + 22 * H);
        QCOMPARE(WorkspaceStats::bucketStart(-1, H, 0), -H);

        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        StatsRequest req;   // all time: a to e spans a day and a bit, so hours
        const StatsReport r = WorkspaceStats::compute(store, req);
        QCOMPARE(r.bucketNs, H);
        QCOMPARE(r.rangeStartNs, T0);
        QCOMPARE(r.rangeEndNs, T0 + D + H);
        QCOMPARE(r.buckets.last().startNs, T0 + D);
        req.bucketNs = D;
        req.utcOffsetSeconds = 3600;   // UTC+01:00: local days start at 23:00 UTC
        const StatsReport local = WorkspaceStats::compute(store, req);
        QCOMPARE(local.buckets.size(), 2);
        QCOMPARE(local.buckets[0].startNs, T0 - H);
        QCOMPARE(local.buckets[0].traces, 4);
        QCOMPARE(local.buckets[1].startNs, T0 + D - H);
        QCOMPARE(local.buckets[1].traces, 1);

        // An open range with a start runs to "now".
        StatsRequest recent;
        recent.filter.sinceNs = T0 + D;
        recent.nowNs = T0 + D + 3 * H + 10;
        recent.bucketNs = H;
        const StatsReport rr = WorkspaceStats::compute(store, recent);
        QCOMPARE(rr.rangeStartNs, T0 + D);
        QCOMPARE(rr.rangeEndNs, T0 + D + 4 * H);
    }

    void percentilesAndHistograms()
    {
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        StatsRequest req;
        req.latencyModel = "gpt-4o";
        const StatsReport r = WorkspaceStats::compute(store, req);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));

        // Trace durations 0.25, 1, 4, 10, 20 s: nearest rank 3 of 5, 5 of 5, 5 of 5.
        const Distribution &tl = r.traceLatency;
        QCOMPARE(tl.count, 5);
        QCOMPARE(tl.p50, double(4 * S));
        QCOMPARE(tl.p90, double(20 * S));
        QCOMPARE(tl.p99, double(20 * S));
        QCOMPARE(tl.min, double(250 * Ms));
        QCOMPARE(tl.max, double(20 * S));
        QCOMPARE(tl.mean, double(35250 * Ms) / 5);
        // Up to 20 s in 40 bins: 0.5 s wide, 41 bins (the maximum sits in the last).
        QCOMPARE(tl.binWidth, double(500 * Ms));
        QCOMPARE(tl.bins.size(), 41);
        QCOMPARE(tl.bins[0], 1);    // 0.25 s
        QCOMPARE(tl.bins[2], 1);    // 1 s
        QCOMPARE(tl.bins[8], 1);    // 4 s
        QCOMPARE(tl.bins[20], 1);   // 10 s
        QCOMPARE(tl.bins[40], 1);   // 20 s
        QCOMPARE(tl.above, 0);

        // gpt-4o calls 0.5, 1, 2, 3 s: ranks 2, 4, 4.
        const Distribution &ml = r.modelLatency;
        QCOMPARE(r.latencyModel, QStringLiteral("gpt-4o"));
        QCOMPARE(ml.count, 4);
        QCOMPARE(ml.p50, double(1 * S));
        QCOMPARE(ml.p90, double(3 * S));
        QCOMPARE(ml.p99, double(3 * S));
        QCOMPARE(ml.min, double(500 * Ms));
        QCOMPARE(ml.max, double(3 * S));
        QCOMPARE(ml.binWidth, double(100 * Ms));
        QCOMPARE(ml.bins.size(), 31);
        QCOMPARE(ml.bins[5], 1);
        QCOMPARE(ml.bins[10], 1);
        QCOMPARE(ml.bins[20], 1);
        QCOMPARE(ml.bins[30], 1);
        qint64 sum = 0;
        for (qint64 n : ml.bins)
            sum += n;
        QCOMPARE(sum, 4);
        const QList<std::pair<QString, qint64>> models{{"gpt-4o", 4}, {"acme-x", 1}, {"gpt-4o-mini", 1}};
        QCOMPARE(r.latencyModels, models);

        // Cost per trace over the four priced traces: $0.001, $0.002, $0.015, $1.
        const Distribution &tc = r.traceCost;
        QCOMPARE(tc.count, 4);
        QVERIFY(near(tc.p50, 0.002));
        QVERIFY(near(tc.p90, 1.0));
        QCOMPARE(r.tracesWithUnpricedSpans, 1);
        QVERIFY(near(tc.binWidth, 0.025));
        QCOMPARE(tc.bins.size(), 41);
        QCOMPARE(tc.bins[0], 3);
        QCOMPARE(tc.bins[40], 1);

        // With a filter (alice: a and c) the walks test membership: 0.5, 1, 2 s.
        req.filter.userId = "alice";
        const StatsReport alice = WorkspaceStats::compute(store, req);
        QCOMPARE(alice.modelLatency.count, 3);
        QCOMPARE(alice.modelLatency.p50, double(1 * S));
        QCOMPARE(alice.modelLatency.p90, double(2 * S));
        QCOMPARE(alice.traceLatency.count, 2);
        QCOMPARE(alice.traceLatency.p50, double(1 * S));
    }

    void longTailGoesAboveTheHistogram()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        SpanList spans;
        // 200 traces of 1..200 ms and one of 100 s: p99 is 199 ms, the histogram stops at 0.4 s.
        for (int i = 1; i <= 200; ++i)
            spans << span(QStringLiteral("t%1").arg(i), "r", "", "op", SpanKind::Span, T0 + i * S, i * Ms);
        spans << span("slow", "r", "", "op", SpanKind::Span, T0, 100 * S);
        QVERIFY(store.writeSpans(spans));
        const StatsReport r = WorkspaceStats::compute(store, {});
        QCOMPARE(r.traceLatency.count, 201);
        QCOMPARE(r.traceLatency.p99, double(199 * Ms));   // rank ceil(198.99) = 199
        QCOMPARE(r.traceLatency.binWidth, double(10 * Ms));
        QCOMPARE(r.traceLatency.bins.size(), 40);
        QCOMPARE(r.traceLatency.above, 1);
        qint64 inBins = 0;
        for (qint64 n : r.traceLatency.bins)
            inBins += n;
        QCOMPARE(inBins, 200);
    }

    void latencyWithoutTheIndexGivesTheSameNumbers()
    {
        const QString path = fixtureWorkspace();
        TraceStore store;
        QVERIFY(store.open(path));
        StatsRequest req;
        req.latencyModel = "gpt-4o";
        req.groupBy = StatsDimension::Model;
        const StatsReport indexed = WorkspaceStats::compute(store, req);
        // The plan walks the index in order: no sort for the percentiles.
        {
            QSqlQuery q(store.database());
            QVERIFY(q.exec("EXPLAIN QUERY PLAN SELECT max(s.end_ns - s.start_ns, 0) FROM spans s INDEXED BY ix_spans_latency "
                           "WHERE s.model = 'gpt-4o' AND s.model <> '' AND s.end_ns > 0 ORDER BY max(s.end_ns - s.start_ns, 0) DESC LIMIT 1"));
            QString plan;
            while (q.next())
                plan += q.value(3).toString() + '\n';
            QVERIFY2(plan.contains("COVERING INDEX ix_spans_latency") && !plan.contains("TEMP B-TREE"), qPrintable(plan));
        }
        TraceStore writer;
        QVERIFY(writer.open(path));
        QVERIFY(writer.beginBulk());   // drops the ix_ indexes
        const StatsReport plain = WorkspaceStats::compute(store, req);
        QVERIFY2(plain.error.isEmpty(), qPrintable(plain.error));
        QCOMPARE(plain.modelLatency, indexed.modelLatency);
        QCOMPARE(plain.groups, indexed.groups);
        QVERIFY(writer.endBulk());
    }

    void topGroups()
    {
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        const StatsReport r = WorkspaceStats::compute(store, {});
        // Names by cost: the unpriced one after every priced one, never as $0.
        QCOMPARE(keys(r.topNamesByCost), (QStringList{"chat acme", "chat gpt-4o", "chat mini"}));
        QVERIFY(near(r.topNamesByCost[1].costUsd, 0.018));
        QCOMPARE(r.topNamesByCost[1].count, 4);
        QCOMPARE(r.topNamesByCost[1].pricedCount, 4);
        QCOMPARE(r.topNamesByCost[2].pricedCount, 0);
        QCOMPARE(r.topNamesByCost[2].unpricedCount, 1);
        // Names by mean latency: agent (10 + 4 + 1 + 20) / 4 = 8.75 s first.
        QCOMPARE(keys(r.topNamesByLatency), (QStringList{"agent", "chat acme", "search", "chat gpt-4o", "chat mini", "ping"}));
        QCOMPARE(r.topNamesByLatency[0].meanDurationNs(), 8.75 * S);
        QCOMPARE(r.topNamesByLatency[0].maxDurationNs, 20 * S);
        QCOMPARE(r.topNamesByLatency[2].errors, 1);
        QCOMPARE(keys(r.topModelsByCost), (QStringList{"acme-x", "gpt-4o", "gpt-4o-mini"}));
        QCOMPARE(r.topModelsByCost[1].inputTokens, 1800);
        QCOMPARE(r.topModelsByCost[1].cachedTokens, 200);
        QCOMPARE(keys(r.topModelsByLatency), (QStringList{"acme-x", "gpt-4o", "gpt-4o-mini"}));
        // Users sum traces: carol $1, alice a + c, bob b (with the unpriced span); no user: no cost.
        QCOMPARE(keys(r.topUsersByCost), (QStringList{"carol", "alice", "bob"}));
        QVERIFY(near(r.topUsersByCost[1].costUsd, 0.016));
        QCOMPARE(r.topUsersByCost[1].count, 2);
        QCOMPARE(r.topUsersByCost[1].errors, 2);
        QCOMPARE(r.topUsersByCost[2].unpricedCount, 1);
        QCOMPARE(r.topUsersByCost[1].cachedTokens, 200);
        QCOMPARE(keys(r.topUsersByLatency), (QStringList{"carol", "alice", "bob", ""}));
        QCOMPARE(r.topUsersByLatency[1].meanDurationNs(), 5.5 * S);

        StatsRequest two;
        two.topCount = 2;
        const StatsReport r2 = WorkspaceStats::compute(store, two);
        QCOMPARE(keys(r2.topNamesByLatency), (QStringList{"agent", "chat acme"}));
    }

    void groupsWithPercentiles_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p90");
        QTest::addColumn<double>("cost");
        // LLM spans 0.5, 1, 1, 2, 3, 5 s: ranks 3 and 6.
        QTest::addRow("kind llm") << int(StatsDimension::Kind) << "llm" << qint64(6) << double(1 * S) << double(5 * S) << 1.018;
        QTest::addRow("model gpt-4o") << int(StatsDimension::Model) << "gpt-4o" << qint64(4) << double(1 * S) << double(3 * S) << 0.018;
        QTest::addRow("name agent") << int(StatsDimension::Name) << "agent" << qint64(4) << double(4 * S) << double(20 * S) << 0.0;
        QTest::addRow("user alice") << int(StatsDimension::User) << "alice" << qint64(2) << double(1 * S) << double(10 * S) << 0.016;
        QTest::addRow("service svc1") << int(StatsDimension::Service) << "svc1" << qint64(4) << double(4 * S) << double(20 * S) << 1.018;
    }

    void groupsWithPercentiles()
    {
        QFETCH(int, dimension);
        QFETCH(QString, key);
        QFETCH(qint64, count);
        QFETCH(double, p50);
        QFETCH(double, p90);
        QFETCH(double, cost);
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        StatsRequest req;
        req.groupBy = StatsDimension(dimension);
        req.parts = StatsRequest::Groups;
        const StatsReport r = WorkspaceStats::compute(store, req);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const auto it = std::find_if(r.groups.cbegin(), r.groups.cend(), [&](const StatsGroup &g) { return g.key == key; });
        QVERIFY(it != r.groups.cend());
        QCOMPARE(it->count, count);
        QCOMPARE(it->latency.p50, p50);
        QCOMPARE(it->latency.p90, p90);
        QVERIFY(near(it->costUsd, cost));
        // Highest cost first.
        for (int i = 1; i < r.groups.size(); ++i)
            QVERIFY(!r.groups[i].hasCost() || r.groups[i - 1].costUsd >= r.groups[i].costUsd);
    }

    void drillDownFilters()
    {
        TraceStore store;
        QVERIFY(store.open(fixtureWorkspace()));
        TraceQuery q;
        q.spanName = "chat gpt-4o";
        QCOMPARE(store.countTraces(q), 3);   // a, b, c
        q.spanName = "chat";
        QCOMPARE(store.countTraces(q), 0);   // exact names only
        q = {};
        q.minDurationNs = 1 * S;
        q.maxDurationNs = 10 * S;
        QCOMPARE(store.countTraces(q), 2);   // c (1 s) and b (4 s); a is 10 s
        q = {};
        q.maxCostUsd = 0.002;
        QCOMPARE(store.countTraces(q), 2);   // c ($0.001) and d (no cost)
        q.minCostUsd = 0.001;
        QCOMPARE(store.countTraces(q), 1);
    }

    void facetsFollowMergesAndReplacements()
    {
        const QString path = freshPath();
        TraceStore store;
        QVERIFY(store.open(path));
        SpanList spans = fixture();
        // Trace a arrives in three writes: spans appended (merged), then one span replaced with a
        // new cost and status, then an unfinished copy that must not replace a finished span.
        QVERIFY(store.writeSpans(spans.mid(0, 2)));
        QVERIFY(store.writeSpans(spans.mid(2)));
        Span again = spans[1];
        again.cost = {0.5, 0.1, 0.4, CostSource::Reported};
        again.status = StatusCode::Error;
        QVERIFY(store.writeSpans({again}));
        Span running = spans[2];
        running.endNs = 0;
        QVERIFY(store.writeSpans({running}));
        Span live = span("a", "a9", "a0", "chat gpt-4o", SpanKind::Llm, T0 + 9 * S, 0);
        live.endNs = 0;
        live.requestModel = "gpt-4o";
        live.tokens.input = 5;
        QVERIFY(store.writeSpans({live}));
        RawDb raw(path);
        const QStringList stored = raw.rows(QLatin1String(FacetsStored));
        QCOMPARE(stored.size(), 11);
        QCOMPARE(stored, raw.rows(QLatin1String(FacetsFromSpans)));
        // The facets add up to the traces' rollups.
        QCOMPARE(raw.rows("SELECT t.trace_id, t.span_count, t.error_count, round(t.cost_usd, 12) FROM traces t ORDER BY 1"),
                 raw.rows("SELECT trace_id, sum(span_count), sum(error_count), round(total(cost_usd), 12) FROM trace_facets "
                          "GROUP BY trace_id ORDER BY 1"));
    }

    void migrationFromVersion2FillsTheFacets()
    {
        const QString path = fixtureWorkspace();
        {
            RawDb raw(path);
            QVERIFY(raw.exec("DROP TABLE trace_facets"));
            QVERIFY(raw.exec("DROP INDEX ix_spans_latency"));
            // Version 5's spans.detail_id, and the triggers of version 2 that find details by key.
            QVERIFY(raw.exec("DROP TRIGGER spans_replaced"));
            QVERIFY(raw.exec("DROP TRIGGER spans_deleted"));
            QVERIFY(raw.exec("DROP INDEX ix_spans_details"));
            QVERIFY(raw.exec("ALTER TABLE spans DROP COLUMN detail_id"));
            QVERIFY(raw.exec("CREATE TRIGGER spans_replaced AFTER UPDATE ON spans BEGIN DELETE FROM span_details "
                             "WHERE trace_id = old.trace_id AND span_id = old.span_id; END"));
            QVERIFY(raw.exec("CREATE TRIGGER spans_deleted AFTER DELETE ON spans BEGIN DELETE FROM span_details "
                             "WHERE trace_id = old.trace_id AND span_id = old.span_id; END"));
            QVERIFY(raw.exec("PRAGMA user_version = 2"));
        }
        TraceStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), TraceStore::currentSchemaVersion());
        RawDb raw(path);
        QCOMPARE(raw.rows(QLatin1String(FacetsStored)).size(), 11);
        QCOMPARE(raw.rows(QLatin1String(FacetsStored)), raw.rows(QLatin1String(FacetsFromSpans)));
        QCOMPARE(raw.rows("SELECT name FROM sqlite_schema WHERE name = 'ix_spans_latency'"), QStringList{"ix_spans_latency"});
        // Every span names its details row again, and the details load.
        const QStringList spanCount{QString::number(fixture().size())};
        QCOMPARE(raw.rows("SELECT count(*) FROM spans s JOIN span_details d ON d.id = s.detail_id "
                          "AND d.trace_id = s.trace_id AND d.span_id = s.span_id"),
                 spanCount);
        QCOMPARE(raw.rows("SELECT count(*) FROM span_details"), spanCount);
    }

    void readOnlyWorkspaceStillAggregates()
    {
        const QString path = fixtureWorkspace();
        TraceStore store;
        QVERIFY(store.open(path, TraceStore::OpenMode::ReadOnly));
        StatsRequest req;
        req.filter.userId = "alice";   // materialises the selection in a temp table
        req.latencyModel = "gpt-4o";
        const StatsReport r = WorkspaceStats::compute(store, req);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.modelLatency.count, 3);
    }

    void recomputeCostsRepricesComputedOnly()
    {
        const QString path = freshPath();
        TraceStore store;
        QVERIFY(store.open(path));
        SpanList spans = fixture();
        spans[1].input.value = "keep me";   // a1: details must survive a cost update
        QVERIFY(store.writeSpans(spans));
        const auto before = store.traceSummary("a");
        QVERIFY(before);

        // New prices: gpt-4o at $1 per 1000 tokens in and out, gpt-4o-mini now priced too, acme-x
        // (reported) would be free.
        int calls = 0;
        auto price = [&](Span &s) {
            ++calls;
            QVERIFY(!s.cost.isKnown());
            const qint64 tokens = std::max<qint64>(s.tokens.input, 0) + std::max<qint64>(s.tokens.output, 0);
            if (s.model() == "gpt-4o")
                s.cost = {tokens / 1000.0, 0, 0, CostSource::Computed};
            else if (s.model() == "gpt-4o-mini")
                s.cost = {tokens / 10000.0, 0, 0, CostSource::Computed};
            else
                s.cost = {0, 0, 0, CostSource::Computed};
        };
        QList<std::pair<qint64, qint64>> progress;
        const qint64 changed = store.recomputeCosts(price, [&](qint64 done, qint64 total) {
            progress.push_back({done, total});
            return true;
        });
        QVERIFY2(changed >= 0, qPrintable(store.lastError()));
        QCOMPARE(calls, 4);      // a1, b1, b2, c1: reported a2 and e1 are never offered
        QCOMPARE(changed, 4);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last(), (std::pair<qint64, qint64>{4, 4}));

        for (const QString &id : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("e")}) {
            const SpanList loaded = store.loadSpans(id, false);
            const TraceSummary want = summarize(loaded);
            const auto got = store.traceSummary(id);
            QVERIFY(got);
            QVERIFY2(near(got->costUsd, want.costUsd), qPrintable(id));
            QVERIFY(near(got->computedCostUsd, want.computedCostUsd));
            QCOMPARE(got->pricedSpanCount, want.pricedSpanCount);
            QCOMPARE(got->unpricedModels, want.unpricedModels);
            QCOMPARE(got->models, want.models);
        }
        const SpanList a = store.loadSpans("a", true);
        const auto a1 = std::find_if(a.cbegin(), a.cend(), [](const Span &s) { return s.spanId == "a1"; });
        const auto a2 = std::find_if(a.cbegin(), a.cend(), [](const Span &s) { return s.spanId == "a2"; });
        QVERIFY(near(a1->cost.totalUsd, 1.1));
        QCOMPARE(a1->cost.source, CostSource::Computed);
        QCOMPARE(a1->input.value, QStringLiteral("keep me"));
        QCOMPARE(a2->cost, (Cost{0.005, 0.005 * 0.25, 0.005 * 0.75, CostSource::Reported}));
        const auto b = store.traceSummary("b");
        QVERIFY(b->unpricedModels.isEmpty());
        QVERIFY(near(b->costUsd, 0.011 + 0.22));
        const auto e = store.traceSummary("e");
        QCOMPARE(e->costUsd, 1.0);

        RawDb raw(path);
        QCOMPARE(raw.rows(QLatin1String(FacetsStored)), raw.rows(QLatin1String(FacetsFromSpans)));
        QCOMPARE(WorkspaceStats::compute(store, {}).totals.unpricedSpans, 0);

        // A model that loses its price goes back to "price missing", not $0.
        auto none = [](Span &s) {
            if (s.model() == "gpt-4o")
                s.cost = {(std::max<qint64>(s.tokens.input, 0) + std::max<qint64>(s.tokens.output, 0)) / 1000.0, 0, 0,
                          CostSource::Computed};
        };
        QCOMPARE(store.recomputeCosts(none), 1);   // b1 (gpt-4o-mini) lost its price
        const auto b2 = store.traceSummary("b");
        QCOMPARE(b2->unpricedModels, QStringList{"gpt-4o-mini"});
        QCOMPARE(WorkspaceStats::compute(store, {}).totals.unpricedSpans, 1);
        QCOMPARE(raw.rows(QLatin1String(FacetsStored)), raw.rows(QLatin1String(FacetsFromSpans)));
        // Running it again with the same prices changes nothing.
        QCOMPARE(store.recomputeCosts(none), 0);

        // Writing more spans afterwards still works (the writer's temp tables are clean).
        QVERIFY(store.writeSpans({llm("a", "a7", "a0", "chat gpt-4o", "gpt-4o", T0 + 8 * S, S, 1, 1, 0.1, CostSource::Computed)}));
        QCOMPARE(store.traceSummary("a")->spanCount, 5);
    }

    void recomputeCanStop()
    {
        TraceStore store;
        QVERIFY(store.open(freshPath()));
        SpanList spans;
        for (int i = 0; i < 9000; ++i)
            spans << llm(QStringLiteral("t%1").arg(i / 10, 4, 10, QChar('0')), QString::number(i), "", "chat", "m", T0 + i, S, 10, 10, 0,
                         CostSource::None);
        QVERIFY(store.writeSpans(spans));
        int chunks = 0;
        const qint64 changed = store.recomputeCosts([](Span &s) { s.cost = {1, 0, 0, CostSource::Computed}; },
                                                    [&](qint64, qint64 total) {
                                                        [&] { QCOMPARE(total, 9000); }();
                                                        return ++chunks < 1;
                                                    });
        QCOMPARE(changed, 4000);   // the first chunk is written, then it stops
        QCOMPARE(WorkspaceStats::compute(store, {}).totals.pricedSpans, 4000);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceStats)
#include "tst_workspacestats.moc"
