// The PostgreSQL team store's statements (see sqldialect.h); each mirrors the SQLite statement of the
// same name in tracestore.cpp. Portable rewrites: greatest() for SQLite's scalar max(),
// count(*) FILTER (…) for sum(condition), coalesce(sum(…) FILTER (…), 0) for total(), string_agg for
// group_concat, pg_temp for temp, ON CONFLICT for INSERT OR REPLACE / OR IGNORE.

#include "sqldialect.h"

#include <QRegularExpression>

namespace spanscope {

namespace {

#define PG_TOUCHED "(SELECT trace_id FROM pg_temp.touched)"
#define PG_HAS_TOKENS                                                                                                  \
    "(input_tokens >= 0 OR output_tokens >= 0 OR total_tokens >= 0 OR cached_tokens >= 0 "                              \
    "OR cache_creation_tokens >= 0 OR reasoning_tokens >= 0)"

const char FacetUpsert[] =
    "INSERT INTO trace_facets (trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns, "
    "  max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, "
    "  unpriced_count) "
    "VALUES (:t, :k, :n, :m, :c, :e, :f, :d, :x, :i, :o, :h, :u, :v, :p, :q) "
    "ON CONFLICT (trace_id, kind, name, model) DO UPDATE SET "
    "  span_count = trace_facets.span_count + excluded.span_count, "
    "  error_count = trace_facets.error_count + excluded.error_count, "
    "  ended_count = trace_facets.ended_count + excluded.ended_count, "
    "  duration_ns = trace_facets.duration_ns + excluded.duration_ns, "
    "  max_duration_ns = greatest(trace_facets.max_duration_ns, excluded.max_duration_ns), "
    "  input_tokens = trace_facets.input_tokens + excluded.input_tokens, "
    "  output_tokens = trace_facets.output_tokens + excluded.output_tokens, "
    "  cached_tokens = trace_facets.cached_tokens + excluded.cached_tokens, "
    "  cost_usd = trace_facets.cost_usd + excluded.cost_usd, "
    "  computed_cost_usd = trace_facets.computed_cost_usd + excluded.computed_cost_usd, "
    "  priced_count = trace_facets.priced_count + excluded.priced_count, "
    "  unpriced_count = trace_facets.unpriced_count + excluded.unpriced_count";

const char RollupDeleteFacets[] = "DELETE FROM trace_facets WHERE trace_id IN " PG_TOUCHED;
const char RollupInsertFacets[] =
    "INSERT INTO trace_facets (trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns, "
    "  max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, "
    "  unpriced_count) "
    "SELECT trace_id, kind, name, model, count(*), count(*) FILTER (WHERE status = 2), "
    "  count(*) FILTER (WHERE end_ns > 0), "
    "  sum(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END)::bigint, "
    "  max(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END), "
    "  sum(greatest(input_tokens, 0))::bigint, sum(greatest(output_tokens, 0))::bigint, "
    "  sum(greatest(cached_tokens, 0))::bigint, "
    "  coalesce(sum(cost_usd) FILTER (WHERE cost_source <> 0), 0), "
    "  coalesce(sum(cost_usd) FILTER (WHERE cost_source = 2), 0), "
    "  count(*) FILTER (WHERE cost_source <> 0), "
    "  count(*) FILTER (WHERE model <> '' AND cost_source = 0 AND " PG_HAS_TOKENS ") "
    "FROM spans WHERE trace_id IN " PG_TOUCHED " GROUP BY trace_id, kind, name, model";

const char RollupDeleteModels[] = "DELETE FROM trace_models WHERE trace_id IN " PG_TOUCHED;
const char RollupInsertModels[] =
    "INSERT INTO trace_models (trace_id, model, unpriced) "
    "SELECT trace_id, model, max(CASE WHEN cost_source = 0 AND " PG_HAS_TOKENS " THEN 1 ELSE 0 END) "
    "FROM spans WHERE trace_id IN " PG_TOUCHED " AND model <> '' GROUP BY trace_id, model";
const char RollupDeleteServices[] = "DELETE FROM trace_services WHERE trace_id IN " PG_TOUCHED;
const char RollupInsertServices[] =
    "INSERT INTO trace_services (trace_id, service) "
    "SELECT DISTINCT trace_id, service FROM spans WHERE trace_id IN " PG_TOUCHED " AND service <> ''";

#define PG_TRACE_COLUMNS                                                                                                \
    "trace_id, name, service, start_ns, end_ns, duration_ns, span_count, error_count, llm_count, tool_count, "         \
    "input_tokens, output_tokens, total_tokens, cost_usd, computed_cost_usd, priced_span_count, models, "              \
    "unpriced_models, services, session_id, user_id, root_span_id, root_start_ns, root_is_root, session_span_id, "     \
    "session_start_ns, user_span_id, user_start_ns"

const char RollupTraces[] =
    "INSERT INTO traces (" PG_TRACE_COLUMNS ") "
    "WITH a AS ("
    "  SELECT g.trace_id, min(g.start_ns) AS start_ns, max(greatest(g.end_ns, g.start_ns, 0)) AS end_ns, "
    "    count(*) AS span_count, count(*) FILTER (WHERE g.status = 2) AS error_count, "
    "    count(*) FILTER (WHERE g.kind = 1) AS llm_count, count(*) FILTER (WHERE g.kind = 3) AS tool_count, "
    "    sum(greatest(g.input_tokens, 0))::bigint AS input_tokens, "
    "    sum(greatest(g.output_tokens, 0))::bigint AS output_tokens, "
    "    sum(CASE WHEN g.total_tokens >= 0 THEN g.total_tokens "
    "             WHEN g.input_tokens < 0 AND g.output_tokens < 0 THEN 0 "
    "             ELSE greatest(g.input_tokens, 0) + greatest(g.output_tokens, 0) END)::bigint AS total_tokens, "
    "    coalesce(sum(g.cost_usd) FILTER (WHERE g.cost_source <> 0), 0) AS cost_usd, "
    "    coalesce(sum(g.cost_usd) FILTER (WHERE g.cost_source = 2), 0) AS computed_cost_usd, "
    "    count(*) FILTER (WHERE g.cost_source <> 0) AS priced_span_count, "
    "    min(g.start_ns) FILTER (WHERE g.parent_id = '') AS root_start, "
    "    min(g.start_ns) FILTER (WHERE g.session_id <> '') AS session_start, "
    "    min(g.start_ns) FILTER (WHERE g.user_id <> '') AS user_start "
    "  FROM spans g WHERE g.trace_id IN " PG_TOUCHED " GROUP BY g.trace_id), "
    "k AS ("
    "  SELECT a.*, "
    "    coalesce((SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.parent_id = '' "
    "               AND s.start_ns = a.root_start ORDER BY s.span_id LIMIT 1), "
    "             (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id "
    "               AND s.start_ns = a.start_ns ORDER BY s.span_id LIMIT 1)) AS root_id, "
    "    (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.session_id <> '' "
    "      AND s.start_ns = a.session_start ORDER BY s.span_id LIMIT 1) AS session_span, "
    "    (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.user_id <> '' "
    "      AND s.start_ns = a.user_start ORDER BY s.span_id LIMIT 1) AS user_span "
    "  FROM a) "
    "SELECT k.trace_id, r.name, r.service, k.start_ns, k.end_ns, greatest(k.end_ns - k.start_ns, 0), k.span_count, "
    "  k.error_count, k.llm_count, k.tool_count, k.input_tokens, k.output_tokens, k.total_tokens, k.cost_usd, "
    "  k.computed_cost_usd, k.priced_span_count, "
    "  coalesce((SELECT string_agg(m.model, chr(31) ORDER BY m.model) FROM trace_models m "
    "            WHERE m.trace_id = k.trace_id), ''), "
    "  coalesce((SELECT string_agg(m.model, chr(31) ORDER BY m.model) FROM trace_models m "
    "            WHERE m.trace_id = k.trace_id AND m.unpriced <> 0), ''), "
    "  coalesce((SELECT string_agg(v.service, chr(31) ORDER BY v.service) FROM trace_services v "
    "            WHERE v.trace_id = k.trace_id), ''), "
    "  coalesce(se.session_id, ''), coalesce(us.user_id, ''), r.span_id, r.start_ns, "
    "  CASE WHEN r.parent_id = '' THEN 1 ELSE 0 END, "
    "  coalesce(k.session_span, ''), coalesce(k.session_start, 0), coalesce(k.user_span, ''), coalesce(k.user_start, 0) "
    "FROM k JOIN spans r ON r.trace_id = k.trace_id AND r.span_id = k.root_id "
    "LEFT JOIN spans se ON se.trace_id = k.trace_id AND se.span_id = k.session_span "
    "LEFT JOIN spans us ON us.trace_id = k.trace_id AND us.span_id = k.user_span "
    "ON CONFLICT (trace_id) DO UPDATE SET name = excluded.name, service = excluded.service, "
    "  start_ns = excluded.start_ns, end_ns = excluded.end_ns, duration_ns = excluded.duration_ns, "
    "  span_count = excluded.span_count, error_count = excluded.error_count, llm_count = excluded.llm_count, "
    "  tool_count = excluded.tool_count, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
    "  total_tokens = excluded.total_tokens, cost_usd = excluded.cost_usd, computed_cost_usd = excluded.computed_cost_usd, "
    "  priced_span_count = excluded.priced_span_count, models = excluded.models, "
    "  unpriced_models = excluded.unpriced_models, services = excluded.services, session_id = excluded.session_id, "
    "  user_id = excluded.user_id, root_span_id = excluded.root_span_id, root_start_ns = excluded.root_start_ns, "
    "  root_is_root = excluded.root_is_root, session_span_id = excluded.session_span_id, "
    "  session_start_ns = excluded.session_start_ns, user_span_id = excluded.user_span_id, "
    "  user_start_ns = excluded.user_start_ns";

} // namespace

const SqlDialect &SqlDialect::postgres()
{
    static const SqlDialect d{
        StoreLocation::Backend::Postgres,
        "QPSQL",
        {{3, ":/spanscope/store/sql/pg/0003_schema.sql", false},
         {4, ":/spanscope/store/sql/pg/0004_message_references.sql", false},
         {5, ":/spanscope/store/sql/pg/0005_detail_ids.sql", false}},
        ":/spanscope/store/sql/pg/indexes.sql",
        // Writers take one advisory lock for their transaction, as SQLite's BEGIN IMMEDIATE takes the
        // write lock: the rollups merge into rows read in the same transaction.
        {QStringLiteral("BEGIN"), QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(pg::WriterLockKey)},
        FacetUpsert,
        RollupDeleteFacets,
        RollupInsertFacets,
        RollupDeleteModels,
        RollupInsertModels,
        RollupDeleteServices,
        RollupInsertServices,
        RollupTraces,
        {"CREATE TEMP TABLE IF NOT EXISTS touched (trace_id TEXT COLLATE \"C\" PRIMARY KEY)", nullptr},
        "DELETE FROM pg_temp.touched",
        "INSERT INTO pg_temp.touched (trace_id) VALUES (:t) ON CONFLICT DO NOTHING",
        "INSERT INTO pg_temp.touched SELECT DISTINCT trace_id FROM spans",
        nullptr,
        nullptr,
        "INSERT INTO trace_models (trace_id, model, unpriced) VALUES (:t, :m, :u) "
        "ON CONFLICT (trace_id, model) DO UPDATE SET unpriced = greatest(trace_models.unpriced, excluded.unpriced)",
        "INSERT INTO trace_services (trace_id, service) VALUES (:t, :s) ON CONFLICT DO NOTHING",
        "SELECT fts_watermark, (SELECT coalesce(max(id), 0) FROM span_details) FROM meta WHERE id = 1",
        nullptr,
        nullptr,
        nullptr,
        "INSERT INTO traces (",
        true,
        // xmax is 0 for a row this statement inserted, not for one it updated (a replaced span);
        // a row not returned was kept (an unfinished copy of a finished span).
        " RETURNING trace_id, (xmax = 0)",
        false,
        "SELECT trace_id FROM traces WHERE trace_id >= ? AND trace_id < ? || chr(1114111) LIMIT 2",
        "SELECT (SELECT count(*) FROM traces), (SELECT coalesce(sum(span_count), 0)::bigint FROM traces), "
        "(SELECT greatest(fts_pending, 0) FROM meta WHERE id = 1)",
        "t.trace_id IN (SELECT m.trace_id FROM trace_models m WHERE lower(m.model) = lower(CAST(? AS TEXT) COLLATE \"C\"))",
        QVariant(QMetaType::fromType<qlonglong>()),
        "SELECT count(*) FROM spans WHERE model <> '' AND cost_source <> 1",
    };
    return d;
}

QString pg::tsQuery(const QString &text, QVariantList *binds)
{
    // websearch_to_tsquery() understands "phrases", OR and -word and never fails on odd input;
    // FTS5's NOT and AND keywords and word* prefixes are translated around it.
    static const QRegularExpression prefixWord(QStringLiteral("(?<![\\w\"])([\\w]+)\\*(?=\\s|$)"),
                                               QRegularExpression::UseUnicodePropertiesOption);
    const QString typed = text.trimmed();
    QStringList prefixes;
    bool inQuote = false;
    // Only outside "…" are * and the keywords operators: split into quoted and unquoted parts.
    QStringList parts;
    QString current;
    for (const QChar c : typed) {
        if (c == QLatin1Char('"')) {
            parts << current;
            current.clear();
            inQuote = !inQuote;
            parts << QStringLiteral("\"");
            continue;
        }
        current += c;
    }
    parts << current;
    inQuote = false;
    QString web;
    for (const QString &part : std::as_const(parts)) {
        if (part == QLatin1String("\"")) {
            inQuote = !inQuote;
            web += part;
            continue;
        }
        if (inQuote) {
            web += part;
            continue;
        }
        QString p = part;
        auto it = prefixWord.globalMatch(p);
        while (it.hasNext())
            prefixes << it.next().captured(1).toLower();
        p.replace(prefixWord, QString());
        QStringList words = p.split(QLatin1Char(' '));
        for (QString &w : words) {
            if (w == QLatin1String("AND"))
                w.clear();
            else if (w == QLatin1String("NOT"))
                w = QStringLiteral("-");
        }
        p = words.join(QLatin1Char(' ')).replace(QStringLiteral("- "), QStringLiteral("-"));
        web += p;
    }
    *binds << (web.isNull() ? QStringLiteral("") : web);  // a null QString would be bound as NULL
    if (prefixes.isEmpty())
        return QStringLiteral("websearch_to_tsquery('simple', CAST(? AS TEXT))");
    QStringList terms;
    for (const QString &w : std::as_const(prefixes))
        terms << QLatin1Char('\'') + w + QStringLiteral("':*");
    *binds << terms.join(QStringLiteral(" & "));
    return QStringLiteral("(websearch_to_tsquery('simple', CAST(? AS TEXT)) && to_tsquery('simple', CAST(? AS TEXT)))");
}

QString pg::fromSqlite(const QString &sql)
{
    // The SQLite constructs the aggregate queries use, in PostgreSQL's words; the functions they
    // call (ifnull, total, sum of a condition, scalar max/min) exist in the store's schema.
    struct Rule {
        QRegularExpression re;
        QString with;
    };
    static const QList<Rule> rules = [] {
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        return QList<Rule>{
            // Index hints: PostgreSQL's planner chooses by itself.
            {QRegularExpression(QStringLiteral("\\s+INDEXED BY \\w+"), ci), QString()},
            // SQLite's unary + (keeps a column from using an index) does not apply to text.
            {QRegularExpression(QStringLiteral("(?<=[\\s(])\\+(?=[a-z]\\.)")), QString()},
            {QRegularExpression(QStringLiteral("\\bIN temp\\.(\\w+)"), ci), QStringLiteral("IN (SELECT trace_id FROM pg_temp.\\1)")},
            {QRegularExpression(QStringLiteral("\\btemp\\.(?=\\w)")), QStringLiteral("pg_temp.")},
            {QRegularExpression(QStringLiteral("\\s+WITHOUT ROWID"), ci), QString()},
            // SQLite's CROSS JOIN … ON fixes the join order; PostgreSQL wants JOIN … ON.
            {QRegularExpression(QStringLiteral("\\bCROSS JOIN\\b")), QStringLiteral("JOIN")},
            // An untyped SQLite table with its implicit rowid, filled in order.
            {QRegularExpression(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS stats_values \\(k, v\\)")),
             QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS stats_values (rowid BIGSERIAL, k TEXT COLLATE \"C\", v BIGINT)")},
            {QRegularExpression(QStringLiteral("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = \\?")),
             QStringLiteral("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?")},
            // SQLite's CAST to INTEGER truncates; PostgreSQL's rounds.
            {QRegularExpression(QStringLiteral("CAST\\(([^()]*) AS INTEGER\\)"), ci),
             QStringLiteral("CAST(trunc(\\1) AS BIGINT)")},
            // A subquery in FROM needs a name (before PostgreSQL 16).
            {QRegularExpression(QStringLiteral("(LIMIT \\d+\\))(?= UNION ALL)")), QStringLiteral("\\1 AS part0")},
            {QRegularExpression(QStringLiteral("(UNION ALL SELECT \\* FROM \\(.*LIMIT \\d+\\))\\s*$"),
                                QRegularExpression::DotMatchesEverythingOption),
             QStringLiteral("\\1 AS part1")},
        };
    }();
    QString out = sql;
    for (const Rule &r : rules)
        out.replace(r.re, r.with);
    return out;
}

} // namespace spanscope
