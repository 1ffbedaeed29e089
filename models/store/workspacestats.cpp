#include "workspacestats.h"

#include "sqldialect.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace spanscope {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("spanscope::WorkspaceStats", text);
}

// The WHERE clause `where` (" WHERE …" or empty) with one more condition.
QString andWhere(const QString &where, const QString &condition)
{
    if (where.isEmpty())
        return QStringLiteral(" WHERE ") + condition;
    return where + QStringLiteral(" AND ") + condition;
}

QString integer(qint64 n)
{
    return QString::number(n);
}

// A number for SQL text: integral values as integers (so SQLite divides them as integers).
QString literal(double v, bool integral)
{
    return integral ? QString::number(qint64(std::llround(v))) : QString::number(v, 'g', 17);
}

// Latency of a span as the index ix_spans_latency holds it; queries must use this exact text for
// SQLite to match it with the index.
const char SpanLatency[] = "max(s.end_ns - s.start_ns, 0)";
// The partial index's WHERE, repeated so SQLite may use it.
const char LatencyIndexCondition[] = "s.model <> '' AND s.end_ns > 0";

// The WHERE of ix_trace_facets_usage: facets with a model, tokens or a cost.
const char UsageCondition[] =
    "(f.model <> '' OR f.priced_count > 0 OR f.input_tokens > 0 OR f.output_tokens > 0 OR f.cached_tokens > 0)";
const char UsageIndex[] = "ix_trace_facets_usage";

// The columns every group query returns after its key, in StatsGroup order.
const char GroupColumns[] =
    "cnt, err, inp, outp, cached, cost, computed, priced, unpriced, ended, dur, maxdur";

class Sql
{
public:
    explicit Sql(QSqlDatabase db)
        : m_db(std::move(db))
        , m_postgres(m_db.driverName() == QLatin1String("QPSQL"))
    {
    }

    template <typename RowFn>
    bool query(const QString &sqliteSql, const QVariantList &binds, RowFn &&onRow)
    {
        // The team store (PostgreSQL): the same queries, translated (sqldialect.h).
        const QString sql = m_postgres ? pg::fromSqlite(sqliteSql) : sqliteSql;
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (m_postgres && binds.isEmpty()) {
            // Unprepared: PostgreSQL cannot PREPARE a CREATE TEMP TABLE.
            if (!q.exec(sql)) {
                fail(q.lastError(), sql);
                return false;
            }
        } else {
            if (!q.prepare(sql)) {
                fail(q.lastError(), sql);
                return false;
            }
            for (const QVariant &v : binds)
                q.addBindValue(v);
            if (!q.exec()) {
                fail(q.lastError(), sql);
                return false;
            }
        }
        while (q.next())
            onRow(q);
        return true;
    }

    bool exec(const QString &sql, const QVariantList &binds = {})
    {
        return query(sql, binds, [](const QSqlQuery &) {});
    }

    const QString &error() const { return m_error; }

private:
    void fail(const QSqlError &e, const QString &sql)
    {
        if (m_error.isEmpty()) {
            const QString reason = e.databaseText().isEmpty() ? e.text() : e.databaseText();
            m_error = tr("Cannot compute the statistics: %1").arg(reason);
            qWarning("WorkspaceStats: %s in %s", qPrintable(reason), qPrintable(sql.left(400)));
        }
    }

    QSqlDatabase m_db;
    bool m_postgres = false;
    QString m_error;
};

StatsGroup readGroup(const QSqlQuery &q, int base)
{
    StatsGroup g;
    g.count = q.value(base + 0).toLongLong();
    g.errors = q.value(base + 1).toLongLong();
    g.inputTokens = q.value(base + 2).toLongLong();
    g.outputTokens = q.value(base + 3).toLongLong();
    g.cachedTokens = q.value(base + 4).toLongLong();
    g.costUsd = q.value(base + 5).toDouble();
    g.computedCostUsd = q.value(base + 6).toDouble();
    g.pricedCount = q.value(base + 7).toLongLong();
    g.unpricedCount = q.value(base + 8).toLongLong();
    g.endedCount = q.value(base + 9).toLongLong();
    g.totalDurationNs = q.value(base + 10).toLongLong();
    g.maxDurationNs = q.value(base + 11).toLongLong();
    return g;
}

QString groupKey(const QVariant &v, StatsDimension dimension)
{
    if (dimension == StatsDimension::Kind) {
        const int kind = v.toInt();
        return spanKindName(kind >= 0 && kind < SpanKindCount ? SpanKind(kind) : SpanKind::Span);
    }
    return v.toString();
}

bool isSpanDimension(StatsDimension d)
{
    return d == StatsDimension::Model || d == StatsDimension::Name || d == StatsDimension::Kind;
}

class Computation
{
public:
    Computation(const TraceStore &store, const StatsRequest &request, StatsReport &report)
        : m_sql(store.database())
        , m_request(request)
        , m_report(report)
    {
        m_where = store.traceFilterSql(request.filter, &m_binds);
    }

    bool run()
    {
        const unsigned parts = m_request.parts;
        if ((parts & (StatsRequest::Totals | StatsRequest::Timeline)) && !timed(QStringLiteral("totals"), [&] { return totals(); }))
            return false;
        if ((parts & StatsRequest::Timeline) && !timed(QStringLiteral("timeline"), [&] { return timeline(); }))
            return false;
        if ((parts & StatsRequest::TraceLatency) && !timed(QStringLiteral("trace latency"), [&] { return traceLatency(); }))
            return false;
        if ((parts & StatsRequest::ModelLatency) && !timed(QStringLiteral("model latency"), [&] { return modelLatency(); }))
            return false;
        if ((parts & StatsRequest::TraceCost) && !timed(QStringLiteral("trace cost"), [&] { return traceCost(); }))
            return false;
        if ((parts & StatsRequest::Top) && !timed(QStringLiteral("top"), [&] { return top(); }))
            return false;
        if ((parts & StatsRequest::Groups) && m_request.groupBy != StatsDimension::None
            && !timed(QStringLiteral("groups"), [&] { return groups(); }))
            return false;
        return true;
    }

    QString error() const { return m_sql.error(); }

private:
    template <typename Fn>
    bool timed(const QString &what, Fn &&fn)
    {
        QElapsedTimer timer;
        timer.start();
        const bool ok = fn();
        m_report.timingsMs.push_back({what, double(timer.nsecsElapsed()) / 1e6});
        return ok;
    }

    bool filtered() const { return !m_where.isEmpty(); }

    // Facets of the selected traces; the traces drive the join (one range of facets per trace,
    // from `index` when it is a usable index keyed by trace).
    QString facetsFrom(const QString &extraCondition = {}, const QString &index = {})
    {
        const QString where = extraCondition.isEmpty() ? m_where : andWhere(m_where, extraCondition);
        QString from = QStringLiteral(" FROM traces t CROSS JOIN trace_facets f");
        if (!index.isEmpty() && indexExists(index))
            from += QStringLiteral(" INDEXED BY ") + index;
        return from + QStringLiteral(" ON f.trace_id = t.trace_id") + where;
    }

    struct Rows {
        QString sql;          // " FROM … [WHERE …]"
        QVariantList binds;
    };
    // The facets of the selected traces, for queries that need nothing of the traces row. When the
    // selection is most of the workspace this scans `index` (a covering index: groups by its first
    // column stream out without a sort); when it is a small part, it joins from the selected traces.
    // A partial index's WHERE must be part of `condition`.
    Rows facetRows(const QString &index, const QString &condition)
    {
        if (filtered() && (!selectionIsLarge() || !materializeSelection()))
            return {facetsFrom(condition, index == QLatin1String(UsageIndex) ? index : QString()), m_binds};
        QString sql = QStringLiteral(" FROM trace_facets f");
        if (!index.isEmpty() && indexExists(index))
            sql += QStringLiteral(" INDEXED BY ") + index;
        QStringList conditions;
        if (!condition.isEmpty())
            conditions << condition;
        if (filtered())
            conditions << QStringLiteral("+f.trace_id IN temp.stats_traces");
        if (!conditions.isEmpty())
            sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
        return {sql, {}};
    }

    // At least a quarter of all traces: scanning every facet (testing membership) beats joining.
    bool selectionIsLarge()
    {
        if (m_selected < 0) {
            m_selected = m_allTraces = 0;
            m_sql.query(QStringLiteral("SELECT (SELECT count(*) FROM traces t") + m_where
                            + QStringLiteral("), (SELECT count(*) FROM traces)"),
                        m_binds, [&](const QSqlQuery &q) {
                            m_selected = q.value(0).toLongLong();
                            m_allTraces = q.value(1).toLongLong();
                        });
        }
        return m_selected * 4 >= m_allTraces;
    }

    bool indexExists(const QString &name)
    {
        const auto it = m_indexes.constFind(name);
        if (it != m_indexes.cend())
            return *it;
        bool exists = false;
        m_sql.query(QStringLiteral("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?"), {name},
                    [&](const QSqlQuery &) { exists = true; });
        m_indexes.insert(name, exists);
        return exists;
    }

    // ------------------------------------------------------------------------------------------
    bool totals()
    {
        StatsTotals &t = m_report.totals;
        bool ok = m_sql.query(QStringLiteral("SELECT count(*), ifnull(sum(t.error_count > 0), 0), ifnull(sum(t.span_count), 0), "
                                             "ifnull(sum(t.error_count), 0), ifnull(sum(t.llm_count), 0), total(t.cost_usd), "
                                             "total(t.computed_cost_usd), ifnull(sum(t.priced_span_count), 0), "
                                             "ifnull(min(t.start_ns), 0), ifnull(max(t.start_ns), 0) FROM traces t")
                                  + m_where,
                              m_binds, [&](const QSqlQuery &q) {
                                  t.traces = q.value(0).toLongLong();
                                  t.errorTraces = q.value(1).toLongLong();
                                  t.spans = q.value(2).toLongLong();
                                  t.errorSpans = q.value(3).toLongLong();
                                  t.llmCalls = q.value(4).toLongLong();
                                  t.costUsd = q.value(5).toDouble();
                                  t.computedCostUsd = q.value(6).toDouble();
                                  t.pricedSpans = q.value(7).toLongLong();
                                  t.firstStartNs = q.value(8).toLongLong();
                                  t.lastStartNs = q.value(9).toLongLong();
                              });
        if (!ok || t.traces == 0)
            return ok;
        const Rows all = facetRows(QLatin1String(UsageIndex), QLatin1String(UsageCondition));
        ok = m_sql.query(QStringLiteral("SELECT ifnull(sum(f.input_tokens), 0), ifnull(sum(f.output_tokens), 0), "
                                        "ifnull(sum(f.cached_tokens), 0), ifnull(sum(f.unpriced_count), 0)")
                             + all.sql,
                         all.binds, [&](const QSqlQuery &q) {
                             t.inputTokens = q.value(0).toLongLong();
                             t.outputTokens = q.value(1).toLongLong();
                             t.cachedTokens = q.value(2).toLongLong();
                             t.unpricedSpans = q.value(3).toLongLong();
                         });
        if (ok && t.unpricedSpans > 0) {
            const Rows unpriced = facetRows(QStringLiteral("ix_trace_facets_model"), QStringLiteral("f.model <> '' AND f.unpriced_count > 0"));
            ok = m_sql.query(QStringLiteral("SELECT DISTINCT f.model") + unpriced.sql, unpriced.binds,
                             [&](const QSqlQuery &q) { t.unpricedModels << q.value(0).toString(); });
            t.unpricedModels.sort();
        }
        return ok;
    }

    bool timeline()
    {
        StatsReport &r = m_report;
        const StatsTotals &t = r.totals;
        const TraceQuery &f = m_request.filter;
        if (t.traces == 0 && f.sinceNs == 0)
            return true;
        // The range: the filter's time range where it has one, else the traces' start times.
        qint64 start = f.sinceNs != 0 ? f.sinceNs : t.firstStartNs;
        qint64 end = f.untilNs;
        if (end == 0) {
            end = t.lastStartNs + 1;
            if (f.sinceNs != 0 && m_request.nowNs > 0)
                end = std::max(end, m_request.nowNs);
        }
        if (t.traces > 0) {
            start = std::min(start, t.firstStartNs);
            end = std::max(end, t.lastStartNs + 1);
        }
        end = std::max(end, start + 1);
        const qint64 w = m_request.bucketNs > 0 ? m_request.bucketNs : WorkspaceStats::autoBucket(end - start);
        const qint64 offset = m_request.utcOffsetSeconds;
        r.bucketNs = w;
        r.rangeStartNs = WorkspaceStats::bucketStart(start, w, offset);
        r.rangeEndNs = WorkspaceStats::bucketStart(end - 1, w, offset) + w;
        if (t.traces == 0)
            return true;

        const qint64 off = offset * 1'000'000'000LL;
        const QString b = QStringLiteral("((t.start_ns + %1) / %2) * %2 - %1").arg(integer(off), integer(w));
        QHash<qint64, int> index;
        bool ok = m_sql.query(QStringLiteral("SELECT %1 AS b, count(*), sum(t.error_count > 0), sum(t.span_count), sum(t.llm_count) "
                                             "FROM traces t")
                                      .arg(b)
                                  + m_where + QStringLiteral(" GROUP BY b ORDER BY b"),
                              m_binds, [&](const QSqlQuery &q) {
                                  TimeBucket tb;
                                  tb.startNs = q.value(0).toLongLong();
                                  tb.traces = q.value(1).toLongLong();
                                  tb.errorTraces = q.value(2).toLongLong();
                                  tb.spans = q.value(3).toLongLong();
                                  tb.llmCalls = q.value(4).toLongLong();
                                  index.insert(tb.startNs, int(r.buckets.size()));
                                  r.buckets.push_back(tb);
                              });
        if (!ok)
            return false;
        // Only facets that carry a model, tokens or a cost reach the sorter.
        QHash<QString, double> modelCost;
        QHash<QString, qint64> modelSpans;
        ok = m_sql.query(QStringLiteral("SELECT %1 AS b, f.model, sum(f.span_count), total(f.cost_usd), sum(f.priced_count), "
                                        "sum(f.unpriced_count), sum(f.input_tokens), sum(f.output_tokens), sum(f.cached_tokens)")
                                 .arg(b)
                             + facetsFrom(QLatin1String(UsageCondition), QLatin1String(UsageIndex))
                             + QStringLiteral(" GROUP BY b, f.model ORDER BY b, f.model"),
                         m_binds, [&](const QSqlQuery &q) {
                             ModelBucket mb;
                             mb.startNs = q.value(0).toLongLong();
                             mb.model = q.value(1).toString();
                             mb.spans = q.value(2).toLongLong();
                             mb.costUsd = q.value(3).toDouble();
                             mb.pricedSpans = q.value(4).toLongLong();
                             mb.unpricedSpans = q.value(5).toLongLong();
                             mb.inputTokens = q.value(6).toLongLong();
                             mb.outputTokens = q.value(7).toLongLong();
                             mb.cachedTokens = q.value(8).toLongLong();
                             const auto it = index.constFind(mb.startNs);
                             if (it != index.cend()) {
                                 TimeBucket &tb = r.buckets[*it];
                                 tb.inputTokens += mb.inputTokens;
                                 tb.outputTokens += mb.outputTokens;
                                 tb.cachedTokens += mb.cachedTokens;
                                 tb.costUsd += mb.costUsd;
                                 tb.pricedSpans += mb.pricedSpans;
                                 tb.unpricedSpans += mb.unpricedSpans;
                             }
                             // Spans without a model matter for the cost chart only when they cost something.
                             if (!mb.model.isEmpty() || mb.pricedSpans > 0) {
                                 modelCost[mb.model] += mb.costUsd;
                                 modelSpans[mb.model] += mb.spans;
                                 r.modelBuckets.push_back(mb);
                             }
                         });
        if (!ok)
            return false;
        r.models = modelCost.keys();
        std::sort(r.models.begin(), r.models.end(), [&](const QString &a, const QString &b) {
            if (modelCost[a] != modelCost[b])
                return modelCost[a] > modelCost[b];
            if (modelSpans[a] != modelSpans[b])
                return modelSpans[a] > modelSpans[b];
            return a < b;
        });
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Count, min, max, mean and nearest-rank percentiles of `values` (a SELECT of one column named v).
    bool windowSummary(const QString &values, const QVariantList &binds, Distribution *d)
    {
        return m_sql.query(
            QStringLiteral("WITH v AS (") + values
                + QStringLiteral("), r AS (SELECT v, row_number() OVER (ORDER BY v) AS rn, count(*) OVER () AS n FROM v) "
                                 "SELECT count(*), min(v), max(v), avg(v), max(CASE WHEN rn = (50 * n + 99) / 100 THEN v END), "
                                 "max(CASE WHEN rn = (90 * n + 99) / 100 THEN v END), "
                                 "max(CASE WHEN rn = (99 * n + 99) / 100 THEN v END) FROM r"),
            binds, [&](const QSqlQuery &q) {
                d->count = q.value(0).toLongLong();
                d->min = q.value(1).toDouble();
                d->max = q.value(2).toDouble();
                d->mean = q.value(3).toDouble();
                d->p50 = q.value(4).toDouble();
                d->p90 = q.value(5).toDouble();
                d->p99 = q.value(6).toDouble();
            });
    }

    void chooseBins(Distribution *d, bool integral) const
    {
        const int bins = std::max(1, m_request.histogramBins);
        double upper = d->max;
        // A long tail would squeeze everything into the first bins; it is counted apart instead.
        if (d->p99 > 0 && d->max > 2 * d->p99)
            upper = 2 * d->p99;
        d->binWidth = WorkspaceStats::niceBinWidth(upper, bins, integral);
        const double n = std::floor(upper / d->binWidth) + 1;
        d->bins = QList<qint64>(int(std::clamp(n, 1.0, double(bins + 1))), 0);
        d->above = 0;
    }

    bool windowHistogram(const QString &values, const QVariantList &binds, Distribution *d, bool integral)
    {
        chooseBins(d, integral);
        const int nb = int(d->bins.size());
        return m_sql.query(QStringLiteral("WITH v AS (") + values
                               + QStringLiteral(") SELECT min(max(CAST(v / %1 AS INTEGER), 0), %2) AS b, count(*) FROM v GROUP BY b")
                                     .arg(literal(d->binWidth, integral), integer(nb)),
                           binds, [&](const QSqlQuery &q) {
                               const int bin = q.value(0).toInt();
                               if (bin >= nb)
                                   d->above += q.value(1).toLongLong();
                               else
                                   d->bins[bin] += q.value(1).toLongLong();
                           });
    }

    bool windowDistribution(const QString &values, const QVariantList &binds, Distribution *d, bool integral)
    {
        if (!windowSummary(values, binds, d))
            return false;
        return d->count == 0 || windowHistogram(values, binds, d, integral);
    }

    bool traceLatency()
    {
        return windowDistribution(QStringLiteral("SELECT t.duration_ns AS v FROM traces t") + m_where, m_binds,
                                  &m_report.traceLatency, true);
    }

    bool traceCost()
    {
        if (!windowDistribution(QStringLiteral("SELECT t.cost_usd AS v FROM traces t") + andWhere(m_where, QStringLiteral("t.priced_span_count > 0")),
                                m_binds, &m_report.traceCost, false))
            return false;
        return m_sql.query(QStringLiteral("SELECT count(*) FROM traces t") + andWhere(m_where, QStringLiteral("t.unpriced_models <> ''")),
                           m_binds, [&](const QSqlQuery &q) { m_report.tracesWithUnpricedSpans = q.value(0).toLongLong(); });
    }

    // ------------------------------------------------------------------------------------------
    // The selected traces as a temporary table, so walks over the latency index test membership
    // without running the filter again for every query.
    bool materializeSelection()
    {
        if (m_materialized || !filtered())
            return true;
        m_materialized = m_sql.exec(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS stats_traces (trace_id TEXT PRIMARY KEY) WITHOUT ROWID"))
            && m_sql.exec(QStringLiteral("DELETE FROM temp.stats_traces"))
            && m_sql.exec(QStringLiteral("INSERT INTO temp.stats_traces SELECT t.trace_id FROM traces t") + m_where, m_binds);
        return m_materialized;
    }

    // Latencies of one model's spans: walks of the (model, latency) index, so nothing is sorted; the
    // percentiles walk from the nearer end and the histogram counts one index range per bin. Without
    // the index (a bulk import is running) the window query gives the same numbers, slower.
    bool modelDistribution(const QString &model, Distribution *d, bool histogram)
    {
        // When the selection holds a small part of the model's calls, joining them from its traces
        // and sorting beats testing every entry of the model's index for membership.
        bool walk = indexExists(QStringLiteral("ix_spans_latency"));
        if (walk && filtered()) {
            qint64 all = 0, selected = 0;
            const Rows rows = facetRows(QStringLiteral("ix_trace_facets_model"), QStringLiteral("f.model <> '' AND f.model = ?"));
            walk = m_sql.query(QStringLiteral("SELECT ifnull(sum(f.ended_count), 0) FROM trace_facets f%1 WHERE f.model <> '' AND f.model = ?")
                                   .arg(indexExists(QStringLiteral("ix_trace_facets_model")) ? QStringLiteral(" INDEXED BY ix_trace_facets_model")
                                                                                          : QString()),
                               {model}, [&](const QSqlQuery &q) { all = q.value(0).toLongLong(); })
                && m_sql.query(QStringLiteral("SELECT ifnull(sum(f.ended_count), 0)") + rows.sql, rows.binds + QVariantList{model},
                               [&](const QSqlQuery &q) { selected = q.value(0).toLongLong(); });
            if (!m_sql.error().isEmpty())
                return false;
            walk = walk && selected * 5 >= all;
        }
        if (!walk) {
            // The unary + keep SQLite from walking the model's index once per trace.
            const QString values = QStringLiteral("SELECT ") + QLatin1String(SpanLatency)
                + QStringLiteral(" AS v FROM traces t CROSS JOIN spans s ON s.trace_id = t.trace_id")
                + andWhere(m_where, QStringLiteral("+s.model = ? AND +s.end_ns > 0"));
            const QVariantList binds = m_binds + QVariantList{model};
            return histogram ? windowDistribution(values, binds, d, true) : windowSummary(values, binds, d);
        }
        if (!materializeSelection())
            return false;
        const QString lat = QLatin1String(SpanLatency);
        QString cond = QStringLiteral(" WHERE s.model = ? AND ") + QLatin1String(LatencyIndexCondition);
        if (filtered())
            cond += QStringLiteral(" AND +s.trace_id IN temp.stats_traces");
        const QString from = QStringLiteral(" FROM spans s INDEXED BY ix_spans_latency");
        bool ok = m_sql.query(QStringLiteral("SELECT count(*), min(%1), max(%1), avg(%1)").arg(lat) + from + cond, {model},
                              [&](const QSqlQuery &q) {
                                  d->count = q.value(0).toLongLong();
                                  d->min = q.value(1).toDouble();
                                  d->max = q.value(2).toDouble();
                                  d->mean = q.value(3).toDouble();
                              });
        if (!ok || d->count == 0)
            return ok;
        const qint64 n = d->count;
        for (const auto &[p, out] : {std::pair{50, &d->p50}, std::pair{90, &d->p90}, std::pair{99, &d->p99}}) {
            const qint64 rank = (p * n + 99) / 100;   // 1-based
            const bool fromTop = rank > n / 2;
            const QString sql = QStringLiteral("SELECT %1").arg(lat) + from + cond
                + QStringLiteral(" ORDER BY %1 %2 LIMIT 1 OFFSET %3").arg(lat, fromTop ? QStringLiteral("DESC") : QStringLiteral("ASC"),
                                                                         integer(fromTop ? n - rank : rank - 1));
            // Captured by copy: clang 14 (the fuzz build) cannot capture a structured binding.
            ok = m_sql.query(sql, {model}, [&, out = out](const QSqlQuery &q) { *out = q.value(0).toDouble(); });
            if (!ok)
                return false;
        }
        if (!histogram)
            return true;
        chooseBins(d, true);
        const qint64 w = qint64(d->binWidth);
        const int nb = int(d->bins.size());
        for (int i = 0; i <= nb; ++i) {
            const QString range = i < nb ? QStringLiteral(" AND %1 >= %2 AND %1 < %3").arg(lat, integer(i * w), integer((i + 1) * w))
                                         : QStringLiteral(" AND %1 >= %2").arg(lat, integer(qint64(nb) * w));
            ok = m_sql.query(QStringLiteral("SELECT count(*)") + from + cond + range, {model}, [&](const QSqlQuery &q) {
                if (i < nb)
                    d->bins[i] = q.value(0).toLongLong();
                else
                    d->above = q.value(0).toLongLong();
            });
            if (!ok)
                return false;
        }
        return true;
    }

    bool modelLatency()
    {
        StatsReport &r = m_report;
        const Rows rows = facetRows(QStringLiteral("ix_trace_facets_model"), QStringLiteral("f.model <> ''"));
        bool ok = m_sql.query(QStringLiteral("SELECT f.model, sum(f.ended_count)") + rows.sql
                                  + QStringLiteral(" GROUP BY f.model HAVING sum(f.ended_count) > 0 ORDER BY 2 DESC, 1"),
                              rows.binds, [&](const QSqlQuery &q) { r.latencyModels.push_back({q.value(0).toString(), q.value(1).toLongLong()}); });
        r.latencyModel = m_request.latencyModel;
        if (!ok || m_request.latencyModel.isEmpty())
            return ok;
        return modelDistribution(m_request.latencyModel, &r.modelLatency, true);
    }

    // ------------------------------------------------------------------------------------------
    // The group query of a dimension: key, then GroupColumns.
    Rows groupSql(StatsDimension dimension)
    {
        if (isSpanDimension(dimension)) {
            const QString key = dimension == StatsDimension::Model ? QStringLiteral("f.model")
                : dimension == StatsDimension::Name                ? QStringLiteral("f.name")
                                                                   : QStringLiteral("f.kind");
            const Rows rows = dimension == StatsDimension::Model
                ? facetRows(QStringLiteral("ix_trace_facets_model"), QStringLiteral("f.model <> ''"))
                : facetRows(dimension == StatsDimension::Name ? QStringLiteral("ix_trace_facets_name") : QString(), {});
            return {QStringLiteral("SELECT %1 AS key, sum(f.span_count) AS cnt, sum(f.error_count) AS err, sum(f.input_tokens) AS inp, "
                                   "sum(f.output_tokens) AS outp, sum(f.cached_tokens) AS cached, total(f.cost_usd) AS cost, "
                                   "total(f.computed_cost_usd) AS computed, sum(f.priced_count) AS priced, "
                                   "sum(f.unpriced_count) AS unpriced, sum(f.ended_count) AS ended, sum(f.duration_ns) AS dur, "
                                   "max(f.max_duration_ns) AS maxdur")
                            .arg(key)
                        + rows.sql + QStringLiteral(" GROUP BY key"),
                    rows.binds};
        }
        const QString key = dimension == StatsDimension::User ? QStringLiteral("t.user_id") : QStringLiteral("t.service");
        // Cached tokens and missing prices are per span: a trace's usage facets, found by key.
        const QString facets = QStringLiteral("FROM trace_facets f%1 WHERE f.trace_id = t.trace_id AND %2")
                                   .arg(indexExists(QLatin1String(UsageIndex)) ? QStringLiteral(" INDEXED BY ") + QLatin1String(UsageIndex)
                                                                               : QString(),
                                        QLatin1String(UsageCondition));
        return {QStringLiteral("SELECT %1 AS key, count(*) AS cnt, sum(t.error_count > 0) AS err, sum(t.input_tokens) AS inp, "
                              "sum(t.output_tokens) AS outp, sum((SELECT ifnull(sum(f.cached_tokens), 0) %2)) AS cached, "
                              "total(t.cost_usd) AS cost, total(t.computed_cost_usd) AS computed, sum(t.priced_span_count) AS priced, "
                              "sum((SELECT ifnull(sum(f.unpriced_count), 0) %2)) AS unpriced, "
                              "count(*) AS ended, sum(t.duration_ns) AS dur, max(t.duration_ns) AS maxdur FROM traces t")
                    .arg(key, facets)
                    + m_where + QStringLiteral(" GROUP BY key"),
                m_binds};
    }

    bool topOf(StatsDimension dimension, QList<StatsGroup> *byCost, QList<StatsGroup> *byLatency)
    {
        const int n = std::max(1, m_request.topCount);
        const QString cols = QLatin1String(GroupColumns);
        const Rows group = groupSql(dimension);
        const QString sql =
            QStringLiteral("WITH g AS MATERIALIZED (") + group.sql
            + QStringLiteral(") SELECT * FROM (SELECT 0, key, %1 FROM g WHERE priced > 0 OR unpriced > 0 "
                             "ORDER BY priced > 0 DESC, cost DESC, unpriced DESC, key LIMIT %2) "
                             "UNION ALL SELECT * FROM (SELECT 1, key, %1 FROM g WHERE ended > 0 "
                             "ORDER BY dur * 1.0 / ended DESC, key LIMIT %2)")
                  .arg(cols, integer(n));
        return m_sql.query(sql, group.binds, [&](const QSqlQuery &q) {
            StatsGroup g = readGroup(q, 2);
            g.key = groupKey(q.value(1), dimension);
            (q.value(0).toInt() == 0 ? byCost : byLatency)->push_back(g);
        });
    }

    bool top()
    {
        StatsReport &r = m_report;
        const StatsDimension only = m_request.topDimension;
        auto wanted = [&](StatsDimension d) { return only == StatsDimension::None || only == d; };
        return (!wanted(StatsDimension::Name) || topOf(StatsDimension::Name, &r.topNamesByCost, &r.topNamesByLatency))
            && (!wanted(StatsDimension::Model) || topOf(StatsDimension::Model, &r.topModelsByCost, &r.topModelsByLatency))
            && (!wanted(StatsDimension::User) || topOf(StatsDimension::User, &r.topUsersByCost, &r.topUsersByLatency));
    }

    // Every group of request.groupBy with latency percentiles.
    bool groups()
    {
        const StatsDimension dimension = m_request.groupBy;
        QList<StatsGroup> &out = m_report.groups;
        QHash<QString, int> index;
        const Rows group = groupSql(dimension);
        // In SQLite's order of the keys: spanGroupPercentiles() relies on it.
        bool ok = m_sql.query(group.sql + QStringLiteral(" ORDER BY key"), group.binds, [&](const QSqlQuery &q) {
            StatsGroup g = readGroup(q, 1);
            g.key = groupKey(q.value(0), dimension);
            index.insert(g.key, int(out.size()));
            out.push_back(g);
        });
        if (!ok)
            return false;
        if (dimension == StatsDimension::Model) {
            for (StatsGroup &g : out) {
                if (g.endedCount > 0 && !modelDistribution(g.key, &g.latency, false))
                    return false;
            }
        } else if (isSpanDimension(dimension)) {
            if (!spanGroupPercentiles(dimension, out))
                return false;
        } else {
            const QString values = QStringLiteral("SELECT %1 AS k, t.duration_ns AS v FROM traces t")
                                       .arg(dimension == StatsDimension::User ? QStringLiteral("t.user_id") : QStringLiteral("t.service"))
                + m_where;
            ok = m_sql.query(QStringLiteral("WITH v AS (") + values
                                 + QStringLiteral("), r AS (SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v) AS rn, "
                                                  "count(*) OVER (PARTITION BY k) AS n FROM v) "
                                                  "SELECT k, count(*), min(v), max(v), avg(v), "
                                                  "max(CASE WHEN rn = (50 * n + 99) / 100 THEN v END), "
                                                  "max(CASE WHEN rn = (90 * n + 99) / 100 THEN v END), "
                                                  "max(CASE WHEN rn = (99 * n + 99) / 100 THEN v END) FROM r GROUP BY k"),
                             m_binds, [&](const QSqlQuery &q) {
                                 const auto it = index.constFind(groupKey(q.value(0), dimension));
                                 if (it == index.cend())
                                     return;
                                 Distribution &d = out[*it].latency;
                                 d.count = q.value(1).toLongLong();
                                 d.min = q.value(2).toDouble();
                                 d.max = q.value(3).toDouble();
                                 d.mean = q.value(4).toDouble();
                                 d.p50 = q.value(5).toDouble();
                                 d.p90 = q.value(6).toDouble();
                                 d.p99 = q.value(7).toDouble();
                             });
            if (!ok)
                return false;
        }
        std::sort(out.begin(), out.end(), [](const StatsGroup &a, const StatsGroup &b) {
            if (a.hasCost() != b.hasCost())
                return a.hasCost();
            if (a.costUsd != b.costUsd)
                return a.costUsd > b.costUsd;
            if (a.count != b.count)
                return a.count > b.count;
            return a.key < b.key;
        });
        return true;
    }

    // Nearest-rank latency percentiles per span name or kind. The latencies are sorted once into a
    // temporary table, whose rowids are then ranks: a group's rows are consecutive and its size is
    // known from the facets (`groups` in SQLite's key order). A window function over a million spans
    // took three times longer.
    bool spanGroupPercentiles(StatsDimension dimension, QList<StatsGroup> &groups)
    {
        const QString values = QStringLiteral("SELECT %1, %2 FROM traces t CROSS JOIN spans s ON s.trace_id = t.trace_id")
                                   .arg(dimension == StatsDimension::Name ? QStringLiteral("s.name") : QStringLiteral("s.kind"),
                                        QLatin1String(SpanLatency))
            + andWhere(m_where, QStringLiteral("s.end_ns > 0"));
        qint64 first = 0, rows = 0;
        bool ok = m_sql.exec(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS stats_values (k, v)"))
            && m_sql.exec(QStringLiteral("DELETE FROM temp.stats_values"))
            && m_sql.exec(QStringLiteral("INSERT INTO temp.stats_values (k, v) ") + values + QStringLiteral(" ORDER BY 1, 2"), m_binds)
            && m_sql.query(QStringLiteral("SELECT ifnull(min(rowid), 0), count(*) FROM temp.stats_values"), {}, [&](const QSqlQuery &q) {
                   first = q.value(0).toLongLong();
                   rows = q.value(1).toLongLong();
               });
        if (!ok)
            return false;
        qint64 expected = 0;
        for (const StatsGroup &g : std::as_const(groups))
            expected += g.endedCount;
        if (expected != rows) {
            // Spans written between the two queries: the ranks would be off, so do not guess.
            m_sql.exec(QStringLiteral("DELETE FROM temp.stats_values"));
            return true;
        }
        QHash<qint64, QList<double *>> wanted;   // rowid -> where its value goes
        qint64 base = first;
        for (StatsGroup &g : groups) {
            const qint64 n = g.endedCount;
            if (n == 0)
                continue;
            Distribution &d = g.latency;
            d.count = n;
            d.mean = g.meanDurationNs();
            wanted[base] << &d.min;
            wanted[base + n - 1] << &d.max;
            wanted[base + (50 * n + 99) / 100 - 1] << &d.p50;
            wanted[base + (90 * n + 99) / 100 - 1] << &d.p90;
            wanted[base + (99 * n + 99) / 100 - 1] << &d.p99;
            base += n;
        }
        const QList<qint64> ids = wanted.keys();
        for (qsizetype i = 0; ok && i < ids.size(); i += 500) {
            QStringList list;
            for (qsizetype j = i; j < std::min(ids.size(), i + 500); ++j)
                list << integer(ids[j]);
            ok = m_sql.query(QStringLiteral("SELECT rowid, v FROM temp.stats_values WHERE rowid IN (%1)").arg(list.join(QLatin1Char(','))),
                             {}, [&](const QSqlQuery &q) {
                                 for (double *out : wanted.value(q.value(0).toLongLong()))
                                     *out = q.value(1).toDouble();
                             });
        }
        m_sql.exec(QStringLiteral("DELETE FROM temp.stats_values"));
        return ok;
    }

    Sql m_sql;
    const StatsRequest &m_request;
    StatsReport &m_report;
    QString m_where;
    QVariantList m_binds;
    bool m_materialized = false;
    qint64 m_selected = -1;
    qint64 m_allTraces = -1;
    QHash<QString, bool> m_indexes;
};

} // namespace

StatsReport WorkspaceStats::compute(const TraceStore &store, const StatsRequest &request)
{
    StatsReport report;
    report.request = request;
    if (!store.isOpen()) {
        report.error = tr("No workspace is open.");
        return report;
    }
    Computation c(store, request, report);
    if (!c.run())
        report.error = c.error();
    return report;
}

qint64 WorkspaceStats::autoBucket(qint64 rangeNs)
{
    if (rangeNs <= 6 * Hour)
        return Minute;
    if (rangeNs <= 10 * Day)
        return Hour;
    const qint64 days = (rangeNs + Day - 1) / Day;
    // Whole days, as few per bucket as keep the count at or under MaxBuckets (+1: a range that
    // does not start at midnight touches one more bucket).
    const qint64 perBucket = std::max<qint64>(1, (days + MaxBuckets - 2) / (MaxBuckets - 1));
    return perBucket * Day;
}

qint64 WorkspaceStats::bucketStart(qint64 ns, qint64 bucketNs, qint64 utcOffsetSeconds)
{
    const qint64 off = utcOffsetSeconds * 1'000'000'000LL;
    const qint64 shifted = ns + off;
    qint64 q = shifted / bucketNs;
    if (shifted < 0 && shifted % bucketNs != 0)
        --q;   // floor, not truncation
    return q * bucketNs - off;
}

double WorkspaceStats::niceBinWidth(double upper, int bins, bool integral)
{
    const double raw = upper / std::max(1, bins);
    if (!(raw > 0) || !std::isfinite(raw))
        return integral ? 1.0 : 1e-6;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double width = 10 * magnitude;
    for (const double m : {1.0, 2.0, 2.5, 5.0}) {
        if (m * magnitude >= raw * (1 - 1e-12)) {
            width = m * magnitude;
            break;
        }
    }
    if (integral)
        width = std::max(1.0, std::ceil(width - 1e-9));
    return width;
}

QString WorkspaceStats::dimensionName(StatsDimension dimension)
{
    switch (dimension) {
    case StatsDimension::Model: return QStringLiteral("model");
    case StatsDimension::Name: return QStringLiteral("name");
    case StatsDimension::Kind: return QStringLiteral("kind");
    case StatsDimension::User: return QStringLiteral("user");
    case StatsDimension::Service: return QStringLiteral("service");
    case StatsDimension::None: break;
    }
    return {};
}

std::optional<StatsDimension> WorkspaceStats::dimensionFromName(QStringView name)
{
    for (const StatsDimension d : {StatsDimension::Model, StatsDimension::Name, StatsDimension::Kind, StatsDimension::User,
                                   StatsDimension::Service}) {
        if (name.compare(dimensionName(d), Qt::CaseInsensitive) == 0)
            return d;
    }
    return std::nullopt;
}

} // namespace spanscope
