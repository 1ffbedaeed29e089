#include "tracestore.h"

#include "detailcodec.h"
#include "sqliteapi.h"
#include "sqldialect.h"
#include "sqlscript.h"
#include "storelocation.h"
#include "walcheckpointer.h"
#include "trace/bulklist.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QtEndian>

#include <algorithm>
#include <vector>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#ifdef Q_OS_UNIX
#include <signal.h>
#endif

// Resources of a static library are registered by its own initializer, which the linker may drop;
// Q_INIT_RESOURCE must be called outside any namespace.
static void initStoreResources()
{
    static std::once_flag once;
    std::call_once(once, [] { Q_INIT_RESOURCE(spanscope_store_sql); });
}

namespace spanscope {

namespace {

constexpr int SchemaVersion = 5;
constexpr int PageSize = 16384;
// Rows per multi-row INSERT: amortises Qt SQL's per-statement cost (a fifth of the per-row cost in a
// micro-benchmark; 4, 16 and 64 rows made no measurable difference in bench_store).
constexpr int RowsPerStatement = 16;
// A live write also indexes a full-text backlog of up to this many rows, so a short bulk import
// followed by live ingest does not leave the live spans unsearchable until indexFullText().
constexpr qint64 LiveCatchUpRows = 5000;
// Rows per transaction in indexFullText(): short enough that a concurrent writer waits well below
// the busy timeout.
constexpr qint64 FullTextChunkRows = 4000;
constexpr int BusyTimeoutMs = 10000;

std::atomic<quint64> s_connectionCounter{0};
std::atomic<int> s_bulkSessionsInProcess{0};

QString tr(const char *text)
{
    return QCoreApplication::translate("spanscope::TraceStore", text);
}


// trace_facets (0003_dashboard.sql): spans merged into a trace add to its rows (FacetUpsert, one row
// per kind/name/model of the new spans, summed in C++ by FacetSums); traces recomputed from their
// spans get theirs rebuilt by the two statements after it, for the traces in temp.touched.
const char FacetUpsert[] =
    "INSERT INTO trace_facets (trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns, "
    "  max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, "
    "  unpriced_count) "
    "VALUES (:t, :k, :n, :m, :c, :e, :f, :d, :x, :i, :o, :h, :u, :v, :p, :q) "
    "ON CONFLICT (trace_id, kind, name, model) DO UPDATE SET span_count = span_count + excluded.span_count, "
    "  error_count = error_count + excluded.error_count, ended_count = ended_count + excluded.ended_count, "
    "  duration_ns = duration_ns + excluded.duration_ns, max_duration_ns = max(max_duration_ns, excluded.max_duration_ns), "
    "  input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, "
    "  cached_tokens = cached_tokens + excluded.cached_tokens, cost_usd = cost_usd + excluded.cost_usd, "
    "  computed_cost_usd = computed_cost_usd + excluded.computed_cost_usd, "
    "  priced_count = priced_count + excluded.priced_count, unpriced_count = unpriced_count + excluded.unpriced_count";
const char RollupDeleteFacets[] = "DELETE FROM trace_facets WHERE trace_id IN (SELECT trace_id FROM temp.touched)";
const char RollupInsertFacets[] =
    "INSERT INTO trace_facets (trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns, "
    "  max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, "
    "  unpriced_count) "
    "SELECT trace_id, kind, name, model, count(*), sum(status = 2), sum(end_ns > 0), "
    "  sum(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END), "
    "  max(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END), "
    "  sum(max(input_tokens, 0)), sum(max(output_tokens, 0)), sum(max(cached_tokens, 0)), "
    "  total(CASE WHEN cost_source <> 0 THEN cost_usd END), total(CASE WHEN cost_source = 2 THEN cost_usd END), "
    "  sum(cost_source <> 0), "
    "  sum(model <> '' AND cost_source = 0 AND (input_tokens >= 0 OR output_tokens >= 0 OR total_tokens >= 0 "
    "      OR cached_tokens >= 0 OR cache_creation_tokens >= 0 OR reasoning_tokens >= 0)) "
    "FROM spans WHERE trace_id IN (SELECT trace_id FROM temp.touched) GROUP BY trace_id, kind, name, model";
// recomputeCosts(): spans whose cost may be recomputed, in primary-key order from a key on (%1 is
// >= for the first chunk, > after it).
const char RepriceSelect[] =
    "SELECT trace_id, span_id, name, kind, model, request_model, provider, start_ns, end_ns, input_tokens, "
    "  output_tokens, total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, cost_usd, cost_input_usd, "
    "  cost_output_usd, cost_source "
    "FROM spans WHERE (trace_id, span_id) %1 (:t, :s) AND model <> '' AND cost_source <> 1 "
    "ORDER BY trace_id, span_id LIMIT :n";
constexpr qint64 RepriceChunkRows = 4000;

// The narrow columns in the order writeSpans() binds them; SpanColumnCount must match.
const char SpanColumns[] =
    "trace_id, span_id, parent_id, name, kind, otel_kind, service, start_ns, end_ns, status, status_message, "
    "model, request_model, provider, input_tokens, output_tokens, total_tokens, cached_tokens, "
    "cache_creation_tokens, reasoning_tokens, cost_usd, cost_input_usd, cost_output_usd, cost_source, "
    "session_id, user_id, detail_id";
constexpr int SpanColumnCount = 27;
// What loadSpans() reads per span: the narrow columns minus the trace id (the query's key), with
// the three small enums packed into one value. Qt SQL costs about as much per value as SQLite
// costs per row, so a 20,000-span trace loads measurably faster with fewer values.
const char LoadColumns[] =
    "span_id, parent_id, name, kind | (status << 8) | (cost_source << 16), otel_kind, service, start_ns, end_ns, "
    "status_message, model, request_model, provider, input_tokens, output_tokens, total_tokens, cached_tokens, "
    "cache_creation_tokens, reasoning_tokens, cost_usd, cost_input_usd, cost_output_usd, session_id, user_id";
constexpr int LoadColumnCount = 23;
// From this many spans a trace is read in two halves at once (TraceStore::loadSpans); below it a
// second connection and thread cost more than they save.
constexpr qsizetype ParallelLoadSpans = 20000;
const char DetailColumns[] = "id, trace_id, span_id, name, input, input_mime, output, output_mime, extra, extra_format";
constexpr int DetailColumnCount = 10;

const char TraceColumns[] =
    "t.trace_id, t.name, t.service, t.start_ns, t.end_ns, t.span_count, t.error_count, t.llm_count, "
    "t.tool_count, t.input_tokens, t.output_tokens, t.total_tokens, t.cost_usd, t.computed_cost_usd, "
    "t.priced_span_count, t.models, t.unpriced_models, t.services, t.session_id, t.user_id";

// Trace rollups. Same rules as spanscope::summarize(): the name and service come from the earliest
// root (parent empty; by start, then span id), else from the earliest span; session and user are
// the first non-empty ones in (start, span id) order; a model is unpriced when one of its spans has
// token counts but no cost. Spans appended to a trace are merged into its row in C++ (see
// RollupState); a trace with a replaced span is recomputed from its spans by the statements below,
// for the traces listed in temp.touched.
const char RollupDeleteModels[] = "DELETE FROM trace_models WHERE trace_id IN (SELECT trace_id FROM temp.touched)";
const char RollupInsertModels[] =
    "INSERT INTO trace_models (trace_id, model, unpriced) "
    "SELECT trace_id, model, max(cost_source = 0 AND (input_tokens >= 0 OR output_tokens >= 0 OR total_tokens >= 0 "
    "   OR cached_tokens >= 0 OR cache_creation_tokens >= 0 OR reasoning_tokens >= 0)) "
    "FROM spans WHERE trace_id IN (SELECT trace_id FROM temp.touched) AND model <> '' GROUP BY trace_id, model";
const char RollupDeleteServices[] =
    "DELETE FROM trace_services WHERE trace_id IN (SELECT trace_id FROM temp.touched)";
const char RollupInsertServices[] =
    "INSERT INTO trace_services (trace_id, service) "
    "SELECT DISTINCT trace_id, service FROM spans "
    "WHERE trace_id IN (SELECT trace_id FROM temp.touched) AND service <> ''";
// One aggregate pass, then the root/session/user spans found by primary-key walks in span id order
// at the earliest start (no sort of the trace's spans).
const char RollupTraces[] =
    "INSERT OR REPLACE INTO traces (trace_id, name, service, start_ns, end_ns, duration_ns, span_count, error_count, "
    "  llm_count, tool_count, input_tokens, output_tokens, total_tokens, cost_usd, computed_cost_usd, "
    "  priced_span_count, models, unpriced_models, services, session_id, user_id, root_span_id, root_start_ns, "
    "  root_is_root, session_span_id, session_start_ns, user_span_id, user_start_ns) "
    "WITH a AS ("
    "  SELECT g.trace_id, min(g.start_ns) AS start_ns, max(max(g.end_ns, g.start_ns, 0)) AS end_ns, "
    "    count(*) AS span_count, sum(g.status = 2) AS error_count, sum(g.kind = 1) AS llm_count, "
    "    sum(g.kind = 3) AS tool_count, sum(max(g.input_tokens, 0)) AS input_tokens, "
    "    sum(max(g.output_tokens, 0)) AS output_tokens, "
    "    sum(CASE WHEN g.total_tokens >= 0 THEN g.total_tokens "
    "             WHEN g.input_tokens < 0 AND g.output_tokens < 0 THEN 0 "
    "             ELSE max(g.input_tokens, 0) + max(g.output_tokens, 0) END) AS total_tokens, "
    "    total(CASE WHEN g.cost_source <> 0 THEN g.cost_usd END) AS cost_usd, "
    "    total(CASE WHEN g.cost_source = 2 THEN g.cost_usd END) AS computed_cost_usd, "
    "    sum(g.cost_source <> 0) AS priced_span_count, "
    "    min(CASE WHEN g.parent_id = '' THEN g.start_ns END) AS root_start, "
    "    min(CASE WHEN g.session_id <> '' THEN g.start_ns END) AS session_start, "
    "    min(CASE WHEN g.user_id <> '' THEN g.start_ns END) AS user_start "
    "  FROM spans g WHERE g.trace_id IN (SELECT trace_id FROM temp.touched) GROUP BY g.trace_id), "
    "k AS ("
    "  SELECT a.*, "
    "    ifnull((SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.parent_id = '' "
    "             AND s.start_ns = a.root_start ORDER BY s.span_id LIMIT 1), "
    "           (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id "
    "             AND s.start_ns = a.start_ns ORDER BY s.span_id LIMIT 1)) AS root_id, "
    "    (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.session_id <> '' "
    "      AND s.start_ns = a.session_start ORDER BY s.span_id LIMIT 1) AS session_span, "
    "    (SELECT s.span_id FROM spans s WHERE s.trace_id = a.trace_id AND s.user_id <> '' "
    "      AND s.start_ns = a.user_start ORDER BY s.span_id LIMIT 1) AS user_span "
    "  FROM a) "
    "SELECT k.trace_id, r.name, r.service, k.start_ns, k.end_ns, max(k.end_ns - k.start_ns, 0), k.span_count, "
    "  k.error_count, k.llm_count, k.tool_count, k.input_tokens, k.output_tokens, k.total_tokens, k.cost_usd, "
    "  k.computed_cost_usd, k.priced_span_count, "
    "  ifnull((SELECT group_concat(m.model, char(31)) FROM trace_models m WHERE m.trace_id = k.trace_id), ''), "
    "  ifnull((SELECT group_concat(m.model, char(31)) FROM trace_models m "
    "          WHERE m.trace_id = k.trace_id AND m.unpriced), ''), "
    "  ifnull((SELECT group_concat(v.service, char(31)) FROM trace_services v WHERE v.trace_id = k.trace_id), ''), "
    "  ifnull(se.session_id, ''), ifnull(us.user_id, ''), r.span_id, r.start_ns, r.parent_id = '', "
    "  ifnull(k.session_span, ''), ifnull(k.session_start, 0), ifnull(k.user_span, ''), ifnull(k.user_start, 0) "
    "FROM k JOIN spans r ON r.trace_id = k.trace_id AND r.span_id = k.root_id "
    "LEFT JOIN spans se ON se.trace_id = k.trace_id AND se.span_id = k.session_span "
    "LEFT JOIN spans us ON us.trace_id = k.trace_id AND us.span_id = k.user_span";

// The traces row with the keys needed to merge more spans into it (RollupState).
const char StateColumns[] =
    "trace_id, name, service, start_ns, end_ns, span_count, error_count, llm_count, tool_count, input_tokens, "
    "output_tokens, total_tokens, cost_usd, computed_cost_usd, priced_span_count, models, unpriced_models, services, "
    "session_id, user_id, root_span_id, root_start_ns, root_is_root, session_span_id, session_start_ns, "
    "user_span_id, user_start_ns, duration_ns";
constexpr int StateColumnCount = 28;

QString latin(const char *s)
{
    return QString::fromLatin1(s);
}

// SQLite stores a NaN as NULL, which the NOT NULL cost columns would refuse with the whole batch.
double number(double v)
{
    return std::isnan(v) ? 0.0 : v;
}

// Runs a bound statement of the SQLite API path; a failure becomes the QSqlError Qt's driver
// would have made of it, and the statement is reset (nothing left mid-way for the rollback).
bool stepFast(sqlite::Statement &st, QSqlError *e)
{
    st.step();
    if (!st.failed())
        return true;
    *e = QSqlError(QString(), st.error(), QSqlError::StatementError, QString::number(st.errorCode()));
    st.reset();
    return false;
}

// NOT NULL text columns: a null QString would be bound as SQL NULL.
QVariant text(const QString &s)
{
    static const QString empty = QStringLiteral("");
    return s.isNull() ? QVariant(empty) : QVariant(s);
}

// Big text is converted to UTF-8 here and bound as bytes (stored as text by a CAST): Qt binds a
// QString as UTF-16, which SQLite then converts character by character into the database's UTF-8.
// Inserting 2 KB of text this way took a third less time in a micro-benchmark.
QVariant utf8(const QString &s)
{
    static const QByteArray empty("");
    return s.isEmpty() ? QVariant(empty) : QVariant(s.toUtf8());
}

// Named placeholders ":<prefix><row>_<column>". Qt SQL formats a name for every positional bind
// (QString::arg per value), which made binding cost three times more than with names.
QStringList placeholderNames(QChar prefix, int rows, int columns)
{
    QStringList names;
    names.reserve(rows * columns);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c)
            names << QLatin1Char(':') + prefix + QString::number(r) + QLatin1Char('_') + QString::number(c);
    }
    return names;
}

// `utf8Columns`: columns bound as UTF-8 bytes and stored as text (see writeSpans()).
QString valuesClause(const QStringList &names, int rows, int columns, const QList<int> &utf8Columns = {})
{
    QStringList tuples;
    tuples.reserve(rows);
    for (int r = 0; r < rows; ++r) {
        QStringList row = names.mid(r * columns, columns);
        for (int c : utf8Columns)
            row[c] = QStringLiteral("CAST(") + row[c] + QStringLiteral(" AS TEXT)");
        tuples << QLatin1Char('(') + row.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    return tuples.join(QLatin1Char(','));
}

QStringList splitList(const QString &joined)
{
    if (joined.isEmpty())
        return {};
    QStringList l = joined.split(QChar(0x1f));
    // SQLite orders by UTF-8 bytes, QStringList::sort() by UTF-16 units; summarize() uses the latter.
    l.sort();
    return l;
}

// A trace's rollup plus which spans its name, session and user came from. Merging the spans newly
// appended to a trace needs only this row, not the trace's other spans: sums add up, and each of
// the three "earliest span" choices compares the stored winner with the new candidates.
struct RollupState {
    TraceSummary summary;
    QString rootSpanId;
    qint64 rootStartNs = 0;
    bool rootIsRoot = false;
    QString sessionSpanId;
    qint64 sessionStartNs = 0;
    QString userSpanId;
    qint64 userStartNs = 0;
    bool exists = false;

    // Earliest root by (start, span id), any span if there is no root.
    static bool rootBefore(bool aRoot, qint64 aStart, const QString &aId, bool bRoot, qint64 bStart, const QString &bId)
    {
        if (aRoot != bRoot)
            return aRoot;
        return aStart != bStart ? aStart < bStart : aId < bId;
    }
    static bool earlier(qint64 aStart, const QString &aId, qint64 bStart, const QString &bId)
    {
        return aStart != bStart ? aStart < bStart : aId < bId;
    }
    static QStringList unite(const QStringList &a, const QStringList &b)
    {
        if (b.isEmpty())
            return a;
        QStringList u = a + b;
        u.sort();
        u.erase(std::unique(u.begin(), u.end()), u.end());
        return u;
    }

    // `spans`: the trace's newly inserted spans (none of them stored before). The per-span rules are
    // summarize()'s (trace.cpp), applied without copying the spans into a SpanList for it; the
    // store's tests compare every field with summarize().
    void merge(const QList<const Span *> &spans)
    {
        TraceSummary &t = summary;
        QSet<QString> models, unpriced;
        QSet<QStringView> services;
        bool haveRoot = exists, haveSession = exists && !t.sessionId.isEmpty(), haveUser = exists && !t.userId.isEmpty();
        for (const Span *s : spans) {
            if (!exists) {
                t.traceId = s->traceId;
                t.startNs = s->startNs;
                t.endNs = 0;
                exists = true;
            }
            ++t.spanCount;
            t.startNs = std::min(t.startNs, s->startNs);
            t.endNs = std::max({t.endNs, s->endNs, s->startNs});
            if (s->isError())
                ++t.errorCount;
            if (s->kind == SpanKind::Llm)
                ++t.llmCount;
            if (s->kind == SpanKind::Tool)
                ++t.toolCount;
            t.inputTokens += std::max<qint64>(s->tokens.input, 0);
            t.outputTokens += std::max<qint64>(s->tokens.output, 0);
            t.totalTokens += std::max<qint64>(s->tokens.effectiveTotal(), 0);
            if (s->cost.isKnown()) {
                t.costUsd += s->cost.totalUsd;
                ++t.pricedSpanCount;
                if (s->cost.source == CostSource::Computed)
                    t.computedCostUsd += s->cost.totalUsd;
            }
            const QString m = s->model();
            if (!m.isEmpty()) {
                models.insert(m);
                if (!s->cost.isKnown() && !s->tokens.isEmpty())
                    unpriced.insert(m);
            }
            if (!s->serviceName.isEmpty())
                services.insert(s->serviceName);

            if (!haveRoot || rootBefore(s->isRoot(), s->startNs, s->spanId, rootIsRoot, rootStartNs, rootSpanId)) {
                haveRoot = true;
                rootIsRoot = s->isRoot();
                rootStartNs = s->startNs;
                rootSpanId = s->spanId;
                t.name = s->name;
                t.serviceName = s->serviceName;
            }
            if (!s->sessionId.isEmpty()
                && (!haveSession || earlier(s->startNs, s->spanId, sessionStartNs, sessionSpanId))) {
                haveSession = true;
                sessionStartNs = s->startNs;
                sessionSpanId = s->spanId;
                t.sessionId = s->sessionId;
            }
            if (!s->userId.isEmpty() && (!haveUser || earlier(s->startNs, s->spanId, userStartNs, userSpanId))) {
                haveUser = true;
                userStartNs = s->startNs;
                userSpanId = s->spanId;
                t.userId = s->userId;
            }
        }
        t.models = unite(t.models, QStringList(models.cbegin(), models.cend()));
        t.unpricedModels = unite(t.unpricedModels, QStringList(unpriced.cbegin(), unpriced.cend()));
        QStringList serviceList;
        for (QStringView v : std::as_const(services))
            serviceList << v.toString();
        t.services = unite(t.services, serviceList);
    }
};

enum class FileState { Missing, Empty, Workspace, NotSqlite, ForeignSqlite, NotAFile, Unreadable };

// Looks at the header without SQLite, so a file that is not ours is never opened by it (opening
// could create -wal/-shm files or, for a WAL database, checkpoint into it).
FileState inspectFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return FileState::Missing;
    if (!info.isFile())
        return FileState::NotAFile;
    if (info.size() == 0)
        return FileState::Empty;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return FileState::Unreadable;
    const QByteArray header = f.read(100);
    if (header.size() < 100 || !header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        return FileState::NotSqlite;
    // The application id is written before WAL mode is enabled, so the main file always has it.
    const qint32 appId = qFromBigEndian<qint32>(header.constData() + 68);
    return appId == TraceStore::ApplicationId ? FileState::Workspace : FileState::ForeignSqlite;
}

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
#ifdef Q_OS_UNIX
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#else
    // No cheap check: take the recorded importer for gone, as a crash is likelier than two
    // processes importing into one workspace.
    return false;
#endif
}

// PostgreSQL passwords given in a URL or by setPassword() (TraceStore::open() of the same URL
// without one, e.g. a reader thread, uses them); kept in memory only.
QMutex s_passwordsMutex;
QHash<QString, QString> s_passwords;

QString pgSafe(const QString &s)
{
    // PostgreSQL text cannot hold U+0000.
    if (!s.contains(QChar(0)))
        return s;
    QString c = s;
    c.replace(QChar(0), QChar(0xfffd));
    return c;
}

bool hasNul(const Span &s)
{
    for (const QString *t : {&s.traceId, &s.spanId, &s.parentSpanId, &s.name, &s.serviceName, &s.statusMessage,
                             &s.requestModel, &s.responseModel, &s.provider, &s.sessionId, &s.userId, &s.input.value,
                             &s.input.mimeType, &s.output.value, &s.output.mimeType}) {
        if (t->contains(QChar(0)))
            return true;
    }
    return false;
}

} // namespace

const SqlDialect &SqlDialect::sqlite()
{
    static const SqlDialect d{
        StoreLocation::Backend::Sqlite,
        "QSQLITE",
        {
            {1, ":/spanscope/store/sql/0001_core.sql", false},
            {2, ":/spanscope/store/sql/0002_fulltext_summaries.sql", true},
            {3, ":/spanscope/store/sql/0003_dashboard.sql", false},
            {4, ":/spanscope/store/sql/0004_message_references.sql", false},
            // Rewriting span_details costs about 15 s per 1,000,000 spans, at open.
            {5, ":/spanscope/store/sql/0005_detail_ids.sql", false, ":/spanscope/store/sql/0005_unindexed_details.sql",
             100000},
        },
        ":/spanscope/store/sql/indexes.sql",
        {QStringLiteral("BEGIN IMMEDIATE")},
        FacetUpsert,
        RollupDeleteFacets,
        RollupInsertFacets,
        RollupDeleteModels,
        RollupInsertModels,
        RollupDeleteServices,
        RollupInsertServices,
        RollupTraces,
        {"CREATE TEMP TABLE IF NOT EXISTS touched (trace_id TEXT PRIMARY KEY) WITHOUT ROWID",
         // No unique key: the logging trigger would inherit the upsert's conflict policy.
         "CREATE TEMP TABLE IF NOT EXISTS replaced (trace_id TEXT)"},
        "DELETE FROM temp.touched",
        "INSERT OR IGNORE INTO temp.touched (trace_id) VALUES (:t)",
        "INSERT INTO temp.touched SELECT DISTINCT trace_id FROM spans",
        "DELETE FROM temp.replaced",
        "SELECT DISTINCT trace_id FROM temp.replaced",
        "INSERT INTO trace_models (trace_id, model, unpriced) VALUES (:t, :m, :u) "
        "ON CONFLICT (trace_id, model) DO UPDATE SET unpriced = max(unpriced, excluded.unpriced)",
        "INSERT OR IGNORE INTO trace_services (trace_id, service) VALUES (:t, :s)",
        "SELECT fts_watermark, (SELECT ifnull(max(id), 0) FROM span_details) FROM meta WHERE id = 1",
        "UPDATE meta SET fts_pending = fts_pending + :n WHERE id = 1",
        "INSERT INTO span_fts (rowid, name, input, output) SELECT id, name, input, output FROM span_details WHERE id > :w",
        "UPDATE meta SET fts_watermark = :w, fts_pending = 0 WHERE id = 1",
        "INSERT OR REPLACE INTO traces (",
        false,
        "",
        true,
        "SELECT trace_id FROM traces WHERE trace_id >= ? AND trace_id < ? || char(1114111) LIMIT 2",
        "SELECT (SELECT count(*) FROM traces), (SELECT ifnull(sum(span_count), 0) FROM traces), "
        "(SELECT max(fts_pending, 0) FROM meta WHERE id = 1)",
        "t.trace_id IN (SELECT m.trace_id FROM trace_models m WHERE m.model = ? COLLATE NOCASE)",
        QVariant(qlonglong(-1)),
        "SELECT count(*) FROM spans WHERE model <> '' AND cost_source <> 1",
    };
    return d;
}

struct TraceStore::Private {
    // loadSpans() of a big trace, SQLite: the rows of `select` (bound to the trace id) below the
    // middle span id here, the rest on a second connection and thread, appended in key order.
    // False with *error empty when it did not apply (nothing read); false with *error on failure.
    bool loadInTwoHalves(const QString &traceId, const QByteArray &select, SpanList &loaded, QString *error);
    QString connectionName;
    QString path;
    StoreLocation location;
    const SqlDialect *dialect = &SqlDialect::sqlite();
    bool isPg() const { return dialect->backend == StoreLocation::Backend::Postgres; }
    QString error;
    QSqlDatabase db;
    bool readOnly = false;
    bool bulk = false;
    bool fullTextDeferred = false;
    int version = 0;
    // While bulk loading: checkpoints on their own thread instead of in the writer's commits.
    std::unique_ptr<WalCheckpointer> checkpointer;

    using Statement = std::unique_ptr<QSqlQuery>;
    // Row r, column c of a multi-row statement is names[r * columns + c]; the one-row statements
    // use the names of row 0.
    QStringList spanParams = placeholderNames(QLatin1Char('s'), RowsPerStatement, SpanColumnCount);
    QStringList detailParams = placeholderNames(QLatin1Char('d'), RowsPerStatement, DetailColumnCount);
    QStringList stateParams = placeholderNames(QLatin1Char('t'), 1, StateColumnCount);
    Statement upsertSpansMany, upsertSpansOne, insertDetailsMany, insertDetailsOne;
    Statement clearTouched, insertTouched, clearReplaced, readReplaced;
    Statement readState, writeState, upsertTraceModel, insertTraceService;
    Statement rollupDeleteModels, rollupInsertModels, rollupDeleteServices, rollupInsertServices, rollupTraces;
    Statement facetUpsert, rollupDeleteFacets, rollupInsertFacets;
    Statement readMeta, addPending, indexAbove, setIndexed, dropUnnamedDetails;
    // The same span and detail inserts through SQLite's API (see sqliteapi.h), when the workspace
    // is SQLite and the API is reachable: binding 36 values per span through Qt SQL took about a
    // sixth of the writer thread's time in a bulk import. Null otherwise (Qt SQL statements above).
    std::unique_ptr<sqlite::Statement> fastSpansMany, fastSpansOne, fastDetailsMany, fastDetailsOne, fastFacetUpsert;

    QString displayPath() const
    {
        return isPg() ? location.displayName() : QDir::toNativeSeparators(path);
    }

    // --- errors ---------------------------------------------------------------------------------
    static QString reasonFor(const QSqlError &e)
    {
        bool ok = false;
        const QString native = e.nativeErrorCode();
        const QString detail = e.databaseText().isEmpty() ? e.text() : e.databaseText();
        if (native.size() == 5) {
            // A PostgreSQL SQLSTATE (SQLite's codes have at most 4 digits).
            if (native == QLatin1String("53100"))
                return tr("the database server's disk is full");
            if (native == QLatin1String("25006"))
                return tr("it was opened read-only");
            if (native == QLatin1String("40P01") || native == QLatin1String("55P03") || native == QLatin1String("57014"))
                return tr("another connection kept the store locked for too long");
            if (native.startsWith(QLatin1String("08")) || native.startsWith(QLatin1String("57P")))
                return tr("the connection to the database server failed (%1)").arg(detail.trimmed());
            if (native.startsWith(QLatin1String("28")))
                return tr("the database server refused the credentials (%1)").arg(detail.trimmed());
            if (native.startsWith(QLatin1String("42")))
                return tr("the database user may not do this, or the store's tables are damaged (%1)")
                    .arg(detail.trimmed());
            return detail.isEmpty() ? tr("an unknown error occurred") : detail.trimmed();
        }
        const int code = native.toInt(&ok) & 0xff;
        if (ok) {
            switch (code) {
            case 13: return tr("the disk is full or the workspace reached its size limit");
            case 8: return tr("the file is read-only");
            case 5:
            case 6: return tr("another program kept the workspace locked for too long");
            case 11:
            case 26: return tr("the file is damaged (%1)").arg(detail);
            case 14: return tr("the file cannot be opened (does the folder exist and is it writable?)");
            case 10: return tr("reading or writing the file failed (%1)").arg(detail);
            default: break;
            }
        }
        return detail.isEmpty() ? tr("an unknown error occurred") : detail;
    }

    bool failOpen(const QString &reason)
    {
        error = tr("Cannot open the workspace “%1”: %2.").arg(displayPath(), reason);
        return false;
    }
    bool failWrite(const QString &reason)
    {
        error = tr("Cannot write to the workspace “%1”: %2. Nothing of this change was saved.")
                    .arg(displayPath(), reason);
        return false;
    }
    void failRead(const QString &reason)
    {
        error = tr("Cannot read the workspace “%1”: %2.").arg(displayPath(), reason);
    }

    // --- statements -----------------------------------------------------------------------------
    Statement prepare(const QString &sql)
    {
        auto q = std::make_unique<QSqlQuery>(db);
        q->setForwardOnly(true);
        if (!q->prepare(sql)) {
            error = reasonFor(q->lastError());
            return nullptr;
        }
        return q;
    }

    // Runs one statement; on failure returns false with `*err` set.
    bool run(const QString &sql, QSqlError *err = nullptr)
    {
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            if (err)
                *err = q.lastError();
            return false;
        }
        return true;
    }
    bool run(QSqlQuery &q, QSqlError *err)
    {
        if (!q.exec()) {
            *err = q.lastError();
            return false;
        }
        return true;
    }

    QVariant pragma(const QString &name, QSqlError *err = nullptr)
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next()) {
            if (err)
                *err = q.lastError();
            return {};
        }
        return q.value(0);
    }

    // recomputeCosts(): SQLite's temp trigger logged its updates for writeSpans(), which has nothing to
    // do with them.
    void clearReplacedLog()
    {
        if (dialect->clearReplaced)
            run(latin(dialect->clearReplaced));
    }

    bool begin(QSqlError *err)
    {
        for (const QString &sql : dialect->beginWrite) {
            if (!run(sql, err)) {
                if (&sql != &dialect->beginWrite.first())
                    rollback();
                return false;
            }
        }
        return true;
    }
    bool commit(QSqlError *err)
    {
        if (run(QStringLiteral("COMMIT"), err))
            return true;
        rollback();
        return false;
    }
    void rollback() { run(QStringLiteral("ROLLBACK")); }

    void closeConnection()
    {
        checkpointer.reset();
        for (auto *s : {&fastSpansMany, &fastSpansOne, &fastDetailsMany, &fastDetailsOne, &fastFacetUpsert})
            s->reset();
        for (Statement *s : {&upsertSpansMany, &upsertSpansOne, &insertDetailsMany, &insertDetailsOne, &clearTouched,
                             &insertTouched, &clearReplaced, &readReplaced, &readState, &writeState,
                             &upsertTraceModel, &insertTraceService, &rollupDeleteModels, &rollupInsertModels, &rollupDeleteServices,
                             &rollupInsertServices, &rollupTraces, &readMeta, &addPending, &indexAbove, &setIndexed,
                             &facetUpsert, &rollupDeleteFacets, &rollupInsertFacets, &dropUnnamedDetails})
            s->reset();
        if (db.isValid())
            db.close();
        db = QSqlDatabase();
        if (!connectionName.isEmpty())
            QSqlDatabase::removeDatabase(connectionName);
        connectionName.clear();
    }

    bool prepareWriter()
    {
        const QString spanInsert = QStringLiteral("INSERT INTO spans (") + latin(SpanColumns) + QStringLiteral(") VALUES ");
        QString spanUpdate = QStringLiteral(" ON CONFLICT (trace_id, span_id) DO UPDATE SET ");
        const QStringList cols = latin(SpanColumns).split(QStringLiteral(", "));
        QStringList sets;
        for (const QString &c : cols.mid(2))
            sets << c + QStringLiteral(" = excluded.") + c;
        spanUpdate += sets.join(QStringLiteral(", "));
        // An unfinished copy never replaces a finished one.
        spanUpdate += QStringLiteral(" WHERE excluded.end_ns > 0 OR spans.end_ns <= 0");
        // No details row exists for a span just inserted or replaced (the spans_replaced trigger
        // removed it). When the upsert above kept the older copy, a unique (trace_id, span_id)
        // skips the new row: PostgreSQL's, or that of a SQLite workspace upgraded to schema 5 with
        // 100,000 spans or more. Other SQLite workspaces have no such index: the row is stored and
        // writeSpans() deletes it again (dropUnnamedDetails).
        const QString detailInsert =
            QStringLiteral("INSERT INTO span_details (") + latin(DetailColumns) + QStringLiteral(") VALUES ");
        const QString detailConflict = isPg() ? QStringLiteral(" ON CONFLICT (trace_id, span_id) DO NOTHING")
                                              : QStringLiteral(" ON CONFLICT DO NOTHING");
        const SqlDialect &sql = *dialect;
        spanUpdate += latin(sql.spanUpsertReturning);

        upsertSpansMany = prepare(spanInsert + valuesClause(spanParams, RowsPerStatement, SpanColumnCount) + spanUpdate);
        upsertSpansOne = prepare(spanInsert + valuesClause(spanParams, 1, SpanColumnCount) + spanUpdate);
        const QList<int> utf8 = sql.detailTextAsUtf8 ? QList<int>{4, 6} : QList<int>{};  // input, output
        insertDetailsMany = prepare(detailInsert + valuesClause(detailParams, RowsPerStatement, DetailColumnCount, utf8)
                                    + detailConflict);
        insertDetailsOne =
            prepare(detailInsert + valuesClause(detailParams, 1, DetailColumnCount, utf8) + detailConflict);
        if (!isPg() && sql.readReplaced && sqlite::available(db)) {
            // Each placeholder appears once, in binding order, so SQLite numbers them 1, 2, 3…
            auto fast = [&](const QString &text) {
                auto st = std::make_unique<sqlite::Statement>(db, text.toUtf8().constData());
                return st->isValid() ? std::move(st) : nullptr;
            };
            fastSpansMany = fast(spanInsert + valuesClause(spanParams, RowsPerStatement, SpanColumnCount) + spanUpdate);
            fastSpansOne = fast(spanInsert + valuesClause(spanParams, 1, SpanColumnCount) + spanUpdate);
            fastDetailsMany = fast(detailInsert + valuesClause(detailParams, RowsPerStatement, DetailColumnCount)
                                   + detailConflict);
            fastDetailsOne = fast(detailInsert + valuesClause(detailParams, 1, DetailColumnCount) + detailConflict);
            // A trace gains a row here per (kind, name, model) of its spans in every batch: tens of
            // thousands of upserts in a big import.
            fastFacetUpsert = fast(latin(sql.facetUpsert));
            if (!fastSpansMany || !fastSpansOne || !fastDetailsMany || !fastDetailsOne || !fastFacetUpsert) {
                for (auto *s : {&fastSpansMany, &fastSpansOne, &fastDetailsMany, &fastDetailsOne, &fastFacetUpsert})
                    s->reset();
            }
        }
        clearTouched = prepare(latin(sql.clearTouched));
        insertTouched = prepare(latin(sql.insertTouched));
        // Optional statements (nullptr in a dialect that does without them) count as prepared.
        auto optional = [&](const char *text, Statement &st) {
            if (!text)
                return true;
            st = prepare(latin(text));
            return bool(st);
        };
        const bool optionalOk = optional(sql.clearReplaced, clearReplaced) && optional(sql.readReplaced, readReplaced)
            && optional(sql.addPending, addPending) && optional(sql.indexAbove, indexAbove)
            && optional(sql.setIndexed, setIndexed);
        readState = prepare(QStringLiteral("SELECT ") + latin(StateColumns)
                            + QStringLiteral(" FROM traces WHERE trace_id = :t"));
        QString stateWrite = latin(sql.replaceStatePrefix) + latin(StateColumns) + QStringLiteral(") VALUES ")
            + valuesClause(stateParams, 1, StateColumnCount);
        if (sql.upsertConflictUpdate) {
            QStringList stateSets;
            for (const QString &c : latin(StateColumns).split(QStringLiteral(", ")).mid(1))
                stateSets << c + QStringLiteral(" = excluded.") + c;
            stateWrite += QStringLiteral(" ON CONFLICT (trace_id) DO UPDATE SET ") + stateSets.join(QStringLiteral(", "));
        }
        writeState = prepare(stateWrite);
        upsertTraceModel = prepare(latin(sql.upsertTraceModel));
        insertTraceService = prepare(latin(sql.insertTraceService));
        if (!prepareRollups())
            return false;
        facetUpsert = prepare(latin(sql.facetUpsert));
        rollupDeleteFacets = prepare(latin(sql.rollupDeleteFacets));
        rollupInsertFacets = prepare(latin(sql.rollupInsertFacets));
        readMeta = prepare(latin(sql.readMeta));
        // The details rows of a batch (ids :a to :b) whose span kept an older copy.
        dropUnnamedDetails = prepare(QStringLiteral(
            "DELETE FROM span_details WHERE id BETWEEN :a AND :b AND NOT EXISTS (SELECT 1 FROM spans s "
            "WHERE s.trace_id = span_details.trace_id AND s.span_id = span_details.span_id "
            "AND s.detail_id = span_details.id)"));
        return upsertSpansMany && upsertSpansOne && insertDetailsMany && insertDetailsOne && clearTouched
            && insertTouched && optionalOk && readState && writeState && upsertTraceModel && insertTraceService
            && readMeta && facetUpsert && rollupDeleteFacets && rollupInsertFacets && dropUnnamedDetails;
    }

    // The statements of rollup(), for the current schema.
    bool prepareRollups()
    {
        rollupDeleteModels = prepare(latin(dialect->rollupDeleteModels));
        rollupInsertModels = prepare(latin(dialect->rollupInsertModels));
        rollupDeleteServices = prepare(latin(dialect->rollupDeleteServices));
        rollupInsertServices = prepare(latin(dialect->rollupInsertServices));
        rollupTraces = prepare(latin(dialect->rollupTraces));
        return rollupDeleteModels && rollupInsertModels && rollupDeleteServices && rollupInsertServices && rollupTraces;
    }

    bool loadState(const QString &traceId, RollupState &st, QSqlError *err)
    {
        QSqlQuery &q = *readState;
        q.bindValue(QStringLiteral(":t"), text(traceId));
        if (!run(q, err))
            return false;
        if (q.next()) {
            TraceSummary &t = st.summary;
            t.traceId = q.value(0).toString();
            t.name = q.value(1).toString();
            t.serviceName = q.value(2).toString();
            t.startNs = q.value(3).toLongLong();
            t.endNs = q.value(4).toLongLong();
            t.spanCount = q.value(5).toInt();
            t.errorCount = q.value(6).toInt();
            t.llmCount = q.value(7).toInt();
            t.toolCount = q.value(8).toInt();
            t.inputTokens = q.value(9).toLongLong();
            t.outputTokens = q.value(10).toLongLong();
            t.totalTokens = q.value(11).toLongLong();
            t.costUsd = q.value(12).toDouble();
            t.computedCostUsd = q.value(13).toDouble();
            t.pricedSpanCount = q.value(14).toInt();
            t.models = splitList(q.value(15).toString());
            t.unpricedModels = splitList(q.value(16).toString());
            t.services = splitList(q.value(17).toString());
            t.sessionId = q.value(18).toString();
            t.userId = q.value(19).toString();
            st.rootSpanId = q.value(20).toString();
            st.rootStartNs = q.value(21).toLongLong();
            st.rootIsRoot = q.value(22).toBool();
            st.sessionSpanId = q.value(23).toString();
            st.sessionStartNs = q.value(24).toLongLong();
            st.userSpanId = q.value(25).toString();
            st.userStartNs = q.value(26).toLongLong();
            st.exists = true;
        }
        q.finish();
        return true;
    }

    // Writes a merged rollup; `added` are the spans merged in (for the side tables).
    bool saveState(const RollupState &st, const QList<const Span *> &added, QSqlError *err)
    {
        const TraceSummary &t = st.summary;
        const QStringList &p = stateParams;
        const QChar sep(0x1f);
        QSqlQuery &q = *writeState;
        q.bindValue(p[0], text(t.traceId));
        q.bindValue(p[1], text(t.name));
        q.bindValue(p[2], text(t.serviceName));
        q.bindValue(p[3], t.startNs);
        q.bindValue(p[4], t.endNs);
        q.bindValue(p[5], t.spanCount);
        q.bindValue(p[6], t.errorCount);
        q.bindValue(p[7], t.llmCount);
        q.bindValue(p[8], t.toolCount);
        q.bindValue(p[9], t.inputTokens);
        q.bindValue(p[10], t.outputTokens);
        q.bindValue(p[11], t.totalTokens);
        q.bindValue(p[12], number(t.costUsd));
        q.bindValue(p[13], number(t.computedCostUsd));
        q.bindValue(p[14], t.pricedSpanCount);
        q.bindValue(p[15], text(t.models.join(sep)));
        q.bindValue(p[16], text(t.unpricedModels.join(sep)));
        q.bindValue(p[17], text(t.services.join(sep)));
        q.bindValue(p[18], text(t.sessionId));
        q.bindValue(p[19], text(t.userId));
        q.bindValue(p[20], text(st.rootSpanId));
        q.bindValue(p[21], st.rootStartNs);
        q.bindValue(p[22], int(st.rootIsRoot));
        q.bindValue(p[23], text(st.sessionSpanId));
        q.bindValue(p[24], st.sessionStartNs);
        q.bindValue(p[25], text(st.userSpanId));
        q.bindValue(p[26], st.userStartNs);
        q.bindValue(p[27], t.durationNs());
        if (!run(q, err))
            return false;
        // Side tables: one row per model / service of the merged spans (a model once unpriced stays so).
        QSet<QString> models;
        QSet<QStringView> services;
        for (const Span *s : added) {
            const QString m = s->model();
            if (!m.isEmpty() && !models.contains(m)) {
                models.insert(m);
                upsertTraceModel->bindValue(QStringLiteral(":t"), text(t.traceId));
                upsertTraceModel->bindValue(QStringLiteral(":m"), m);
                upsertTraceModel->bindValue(QStringLiteral(":u"), int(t.unpricedModels.contains(m)));
                if (!run(*upsertTraceModel, err))
                    return false;
            }
            if (!s->serviceName.isEmpty() && !services.contains(s->serviceName)) {
                services.insert(s->serviceName);
                insertTraceService->bindValue(QStringLiteral(":t"), text(t.traceId));
                insertTraceService->bindValue(QStringLiteral(":s"), s->serviceName);
                if (!run(*insertTraceService, err))
                    return false;
            }
        }
        return true;
    }

    // Adds the spans merged into a trace to its trace_facets rows.
    bool saveFacets(const QString &traceId, const QList<const Span *> &added, QSqlError *err)
    {
        struct Sums {
            qint64 spans = 0, errors = 0, ended = 0, durationNs = 0, maxDurationNs = 0, input = 0, output = 0,
                   cached = 0, priced = 0, unpriced = 0;
            double cost = 0, computed = 0;
        };
        // Keyed like the table: kind, name, model.
        std::map<std::tuple<int, QString, QString>, Sums> facets;
        for (const Span *s : added) {
            const QString model = s->model();
            Sums &f = facets[{int(s->kind), s->name, model}];
            ++f.spans;
            f.errors += s->isError();
            f.ended += s->hasEnded();
            f.durationNs += s->durationNs();
            f.maxDurationNs = std::max(f.maxDurationNs, s->durationNs());
            f.input += std::max<qint64>(s->tokens.input, 0);
            f.output += std::max<qint64>(s->tokens.output, 0);
            f.cached += std::max<qint64>(s->tokens.cachedInput, 0);
            if (s->cost.isKnown()) {
                ++f.priced;
                f.cost += number(s->cost.totalUsd);
                if (s->cost.source == CostSource::Computed)
                    f.computed += number(s->cost.totalUsd);
            } else if (!model.isEmpty() && !s->tokens.isEmpty()) {
                ++f.unpriced;
            }
        }
        // The values in the order of FacetUpsert's placeholders (where SQLite numbers them 1…16).
        auto values = [&](const auto &key, const Sums &f, auto &&put) {
            put(":t", QStringView(traceId));
            put(":k", qint64(std::get<0>(key)));
            put(":n", QStringView(std::get<1>(key)));
            put(":m", QStringView(std::get<2>(key)));
            for (const auto &[name, v] : {std::pair{":c", f.spans}, {":e", f.errors}, {":f", f.ended}, {":d", f.durationNs},
                                          {":x", f.maxDurationNs}, {":i", f.input}, {":o", f.output}, {":h", f.cached}})
                put(name, v);
            put(":u", f.cost);
            put(":v", f.computed);
            put(":p", f.priced);
            put(":q", f.unpriced);
        };
        for (const auto &[key, f] : facets) {
            if (sqlite::Statement *st = fastFacetUpsert.get()) {
                st->reset();
                int index = 0;
                values(key, f, [&](const char *, const auto &v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, QStringView>)
                        st->bindText(++index, v);
                    else if constexpr (std::is_same_v<V, double>)
                        st->bindDouble(++index, v);
                    else
                        st->bindInt64(++index, v);
                });
                if (!stepFast(*st, err))
                    return false;
                continue;
            }
            QSqlQuery &q = *facetUpsert;
            values(key, f, [&](const char *name, const auto &v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, QStringView>)
                    q.bindValue(QLatin1String(name), text(v.toString()));
                else
                    q.bindValue(QLatin1String(name), v);
            });
            if (!run(q, err))
                return false;
        }
        return true;
    }

    // Inside a transaction, with temp.touched filled: trace_facets of those traces from their spans.
    // Separate from rollup(), which migrations run before trace_facets exists.
    bool rollupFacets(QSqlError *err) { return run(*rollupDeleteFacets, err) && run(*rollupInsertFacets, err); }

    // Inside a transaction, with temp.touched filled.
    bool rollup(QSqlError *err)
    {
        return run(*rollupDeleteModels, err) && run(*rollupInsertModels, err) && run(*rollupDeleteServices, err)
            && run(*rollupInsertServices, err) && run(*rollupTraces, err);
    }

    bool migrate(QString *reason)
    {
        for (const SqlMigration &m : dialect->migrations) {
            if (m.version <= version)
                continue;
            QString loadError;
            const QStringList statements = SqlScript::load(latin(m.resource), &loadError);
            if (statements.isEmpty()) {
                *reason = tr("the schema script %1 is missing (%2)").arg(latin(m.resource), loadError);
                return false;
            }
            QSqlError err;
            if (!begin(&err)) {
                *reason = reasonFor(err);
                return false;
            }
            bool ok = true;
            if (isPg()) {
                // Another process may have migrated the store while this one waited for the lock.
                QString versionError;
                const int now = pgSchemaVersion(&versionError);
                if (now < 0) {
                    rollback();
                    *reason = versionError;
                    return false;
                }
                if (now >= m.version) {
                    rollback();
                    version = now;
                    continue;
                }
            }
            QString failure;
            QStringList all = statements;
            if (m.smallResource) {
                QSqlQuery q(db);
                ok = q.exec(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM span_details LIMIT %1)").arg(m.smallBelow))
                    && q.next();
                const qint64 rows = ok ? q.value(0).toLongLong() : 0;
                if (!ok)
                    err = q.lastError();
                q.finish();  // DROP TABLE fails while a statement reads
                if (ok && rows < m.smallBelow) {
                    const QStringList small = SqlScript::load(latin(m.smallResource), &loadError);
                    if (small.isEmpty()) {
                        rollback();
                        *reason = tr("the schema script %1 is missing (%2)").arg(latin(m.smallResource), loadError);
                        return false;
                    }
                    all += small;
                }
            }
            for (qsizetype i = 0; ok && i < all.size(); ++i)
                ok = run(all.at(i), &err);
            if (ok && m.rebuildRollups) {
                ok = run(latin(dialect->clearTouched), &err) && run(latin(dialect->fillTouched), &err);
                if (ok) {
                    // Prepared against this step's schema; prepareWriter() prepares them again later.
                    if (!prepareRollups()) {
                        ok = false;
                        failure = error;
                    } else {
                        ok = rollup(&err);
                    }
                }
            }
            const bool last = &m == &dialect->migrations.last();
            if (ok && isPg() && last)
                ok = createIndexes(&err);  // SQLite's migrations create their indexes themselves
            if (ok && isPg()) {
                ok = run(QStringLiteral("DELETE FROM spanscope_schema"), &err)
                    && run(QStringLiteral("INSERT INTO spanscope_schema (application_id, version) VALUES (%1, %2)")
                               .arg(TraceStore::ApplicationId)
                               .arg(m.version),
                           &err);
            } else if (ok) {
                ok = run(QStringLiteral("PRAGMA user_version = %1").arg(m.version), &err);
            }
            if (!ok) {
                rollback();
                *reason = tr("upgrading it to schema version %1 failed (%2)")
                              .arg(m.version)
                              .arg(failure.isEmpty() ? reasonFor(err) : failure);
                return false;
            }
            if (!commit(&err)) {
                *reason = tr("upgrading it to schema version %1 failed (%2)").arg(m.version).arg(reasonFor(err));
                return false;
            }
            version = m.version;
        }
        return true;
    }

    bool createIndexes(QSqlError *err)
    {
        QString loadError;
        const QStringList statements = SqlScript::load(latin(dialect->indexesResource), &loadError);
        if (statements.isEmpty()) {
            *err = QSqlError(QString(), loadError, QSqlError::UnknownError);
            return false;
        }
        for (const QString &sql : statements) {
            if (!run(sql, err))
                return false;
        }
        return true;
    }

    // PostgreSQL: the schema version of the store in the current schema, 0 for an empty one, -1 (with
    // `*reason`) for a database that holds something else.
    int pgSchemaVersion(QString *reason)
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT to_regclass('spanscope_schema') IS NOT NULL, (SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))"))
            || !q.next()) {
            *reason = reasonFor(q.lastError());
            return -1;
        }
        const bool ours = q.value(0).toBool();
        const qint64 tables = q.value(1).toLongLong();
        q.finish();
        const QString foreign = tr("the database holds tables of another application, not a Spanscope store (use an "
                                   "empty database, or a schema of its own with ?schema=NAME)");
        if (!ours) {
            if (tables == 0)
                return 0;
            *reason = foreign;
            return -1;
        }
        if (!q.exec(QStringLiteral("SELECT application_id, version FROM spanscope_schema")) || !q.next()) {
            *reason = q.lastError().isValid() && !q.lastError().text().trimmed().isEmpty() ? reasonFor(q.lastError())
                                                                                           : foreign;
            return -1;
        }
        if (q.value(0).toLongLong() != TraceStore::ApplicationId) {
            *reason = foreign;
            return -1;
        }
        return q.value(1).toInt();
    }

    bool openPostgres(TraceStore::OpenMode mode)
    {
        QString parseError;
        location = StoreLocation::parse(path, &parseError);
        if (location.database.isEmpty())
            return failOpen(parseError);
        // The password: from the URL (remembered for this process only, never written anywhere),
        // else one given to setPassword(), else libpq's own ($PGPASSWORD, ~/.pgpass).
        const QString key = location.displayName();
        {
            QMutexLocker lock(&s_passwordsMutex);
            if (!location.password.isEmpty())
                s_passwords.insert(key, location.password);
            else
                location.password = s_passwords.value(key);
        }
        readOnly = mode == TraceStore::OpenMode::ReadOnly;
        connectionName = QStringLiteral("spanscope-store-%1").arg(++s_connectionCounter);
        db = QSqlDatabase::addDatabase(latin(dialect->driver), connectionName);
        if (!db.isValid()) {
            closeConnection();
            return failOpen(tr("Qt's PostgreSQL driver (QPSQL) is not installed (Debian: libqt6sql6-psql)"));
        }
        db.setDatabaseName(location.database);
        if (!location.host.isEmpty())
            db.setHostName(location.host);
        if (location.port > 0)
            db.setPort(location.port);
        if (!location.user.isEmpty())
            db.setUserName(location.user);
        if (!location.password.isEmpty())
            db.setPassword(location.password);
        QStringList options = location.options;
        if (!std::any_of(options.cbegin(), options.cend(),
                         [](const QString &o) { return o.startsWith(QLatin1String("connect_timeout=")); }))
            options << QStringLiteral("connect_timeout=10");
        options << QStringLiteral("application_name=spanscope");
        db.setConnectOptions(options.join(QLatin1Char(';')));

        auto fail = [&](const QString &reason) {
            closeConnection();
            readOnly = false;
            return failOpen(reason);
        };
        if (!db.open())
            return fail(reasonFor(db.lastError()));
        QSqlError err;
        // Notices (e.g. a word too long to index) would go to stderr; UTC and UTF-8 whatever the
        // server's defaults.
        if (!run(QStringLiteral("SET client_min_messages = warning"), &err)
            || !run(QStringLiteral("SET client_encoding = 'UTF8'"), &err)
            || !run(QStringLiteral("SET lock_timeout = '%1ms'").arg(BusyTimeoutMs), &err))
            return fail(reasonFor(err));
        if (!location.schema.isEmpty()) {
            const QString quoted = db.driver()->escapeIdentifier(location.schema, QSqlDriver::TableName);
            if (!readOnly && !run(QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + quoted, &err))
                return fail(reasonFor(err));
            if (!run(QStringLiteral("SET search_path TO ") + quoted, &err))
                return fail(reasonFor(err));
        }
        QString reason;
        version = pgSchemaVersion(&reason);
        if (version < 0)
            return fail(reason);
        if (version > SchemaVersion) {
            return fail(tr("it was written by a newer version of Spanscope (schema version %1; this version "
                           "reads up to %2)")
                            .arg(version)
                            .arg(SchemaVersion));
        }
        if (readOnly) {
            if (version == 0)
                return fail(tr("it is not a Spanscope store yet (open it for writing once to create one)"));
            if (version < SchemaVersion)
                return fail(tr("it uses an older format (schema version %1) and must be opened for writing once "
                               "to be upgraded")
                                .arg(version));
            // Not SET … READ ONLY: the aggregate queries still create temporary tables. The store
            // itself refuses every write (readOnly).
            error.clear();
            return true;
        }
        for (const char *sql : dialect->createTemp) {
            if (sql && !run(latin(sql), &err))
                return fail(reasonFor(err));
        }
        if (version < SchemaVersion && !migrate(&reason))
            return fail(reason);
        if (!prepareWriter())
            return fail(error);
        error.clear();
        return true;
    }

    // Ends a bulk session left behind by a process that no longer runs.
    void repairAbandonedBulk()
    {
        if (isPg())
            return;  // bulk mode keeps the indexes on PostgreSQL (see beginBulk())
        const QVariant pid = [&] {
            QSqlQuery q(db);
            return q.exec(QStringLiteral("SELECT bulk_pid FROM meta WHERE id = 1")) && q.next() ? q.value(0)
                                                                                                 : QVariant();
        }();
        const qint64 owner = pid.toLongLong();
        if (owner == 0)
            return;
        const bool ours = owner == QCoreApplication::applicationPid();
        if ((ours && s_bulkSessionsInProcess.load() > 0) || (!ours && processAlive(owner)))
            return;
        QSqlError err;
        if (begin(&err)) {
            if (createIndexes(&err) && run(QStringLiteral("UPDATE meta SET bulk_pid = 0 WHERE id = 1"), &err))
                commit(&err);
            else
                rollback();
        }
    }

    // Whether at least `count` spans match the FTS expression (counting stops there).
    bool ftsMatchesAtLeast(const QString &expression, int count) const
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM span_fts WHERE span_fts MATCH ? LIMIT ?)"));
        q.addBindValue(expression);
        q.addBindValue(count);
        return q.exec() && q.next() && q.value(0).toInt() >= count;
    }
    static constexpr int kBroadSearchMatches = 30000;

    // The last full-text search of this connection, kept for the next query with the same
    // expression: the trace list counts the matching traces, then reads a page of them, and each
    // query used to collect the matches again (a word in most prompts of 1,000,000 spans: 310,000
    // matches, about 60 ms each time; the narrow form joins every match to its trace). For a broad
    // term temp.fts_matches holds the matching details ids, for a narrow one temp.fts_traces the
    // matching traces. Valid while neither this connection (total_changes()) nor another one
    // (data_version) has changed anything since it was filled.
    struct SearchCache {
        QString expression;
        bool broad = false;
        qint64 changes = -1;
        qint64 dataVersion = -1;
    };
    mutable std::optional<SearchCache> searchCache;

    bool readVersions(qint64 *changes, qint64 *dataVersion) const
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT total_changes(), (SELECT data_version FROM pragma_data_version())")) || !q.next())
            return false;
        *changes = q.value(0).toLongLong();
        *dataVersion = q.value(1).toLongLong();
        return true;
    }

    // The condition selecting the traces (aliased t) with a span matching `expression`, on the
    // cache (filled first unless it holds this expression and is current). Empty when the cache
    // could not be filled: the caller then queries span_fts itself.
    QString cachedSearchCondition(const QString &expression) const
    {
        const auto condition = [](bool broad) {
            // A broad term: reading the trace id of every matching span costs more than probing
            // each trace's spans (ix_spans_details holds their details ids) against the set of
            // matches, stopping at the first. The unary + keeps SQLite from looking up every
            // match in every trace instead.
            return broad ? QStringLiteral("EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id "
                                          "AND +s.detail_id IN (SELECT id FROM temp.fts_matches))")
                         : QStringLiteral("t.trace_id IN (SELECT trace_id FROM temp.fts_traces)");
        };
        // Inside a transaction a rollback could take the tables back without the cache knowing.
        qint64 changes = 0, dataVersion = 0;
        if (!sqlite::inAutocommit(db) || !readVersions(&changes, &dataVersion))
            return {};
        if (searchCache && searchCache->expression == expression && searchCache->changes == changes
            && searchCache->dataVersion == dataVersion)
            return condition(searchCache->broad);
        searchCache.reset();
        const bool broad = ftsMatchesAtLeast(expression, kBroadSearchMatches);
        QSqlQuery q(db);
        // Dropped rather than emptied: freeing a table of 310,000 rows at once is faster.
        for (const char *sql : {"DROP TABLE IF EXISTS temp.fts_matches", "DROP TABLE IF EXISTS temp.fts_traces",
                                "CREATE TEMP TABLE fts_matches (id INTEGER PRIMARY KEY)",
                                "CREATE TEMP TABLE fts_traces (trace_id TEXT PRIMARY KEY) WITHOUT ROWID"}) {
            if (!q.exec(QLatin1String(sql)))
                return {};
        }
        if (!q.prepare(broad ? QStringLiteral("INSERT INTO temp.fts_matches (id) "
                                              "SELECT rowid FROM span_fts WHERE span_fts MATCH ?")
                             : QStringLiteral("INSERT OR IGNORE INTO temp.fts_traces (trace_id) SELECT d.trace_id "
                                              "FROM span_fts JOIN span_details d ON d.id = span_fts.rowid "
                                              "WHERE span_fts MATCH ?")))
            return {};
        q.addBindValue(expression);
        if (!q.exec() || !readVersions(&changes, &dataVersion))
            return {};
        searchCache = SearchCache{expression, broad, changes, dataVersion};
        return condition(broad);
    }

    QString ftsExpression(const QString &text) const
    {
        const QString trimmed = text.trimmed();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT 1 FROM span_fts WHERE span_fts MATCH ? LIMIT 1"));
        q.addBindValue(trimmed);
        if (q.exec())
            return trimmed;
        // Not FTS5 syntax (e.g. "gpt-4o" or an unbalanced quote): search for the words as typed.
        QString quoted = trimmed;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + quoted + QLatin1Char('"');
    }

    // LoadColumns of the current row.
    static void readSpan(const QSqlQuery &q, Span &s)
    {
        s.spanId = q.value(0).toString();
        s.parentSpanId = q.value(1).toString();
        s.name = q.value(2).toString();
        const qint64 flags = q.value(3).toLongLong();
        const int kind = int(flags & 0xff), status = int((flags >> 8) & 0xff), source = int((flags >> 16) & 0xff);
        s.kind = kind < SpanKindCount ? SpanKind(kind) : SpanKind::Span;
        s.status = status <= 2 ? StatusCode(status) : StatusCode::Unset;
        s.cost.source = source <= 2 ? CostSource(source) : CostSource::None;
        s.otelKind = q.value(4).toInt();
        s.serviceName = q.value(5).toString();
        s.startNs = q.value(6).toLongLong();
        s.endNs = q.value(7).toLongLong();
        s.statusMessage = q.value(8).toString();
        const QString model = q.value(9).toString();
        s.requestModel = q.value(10).toString();
        // The exact response model is in the details; this keeps model() right without them.
        s.responseModel = model != s.requestModel ? model : QString();
        s.provider = q.value(11).toString();
        s.tokens.input = q.value(12).toLongLong();
        s.tokens.output = q.value(13).toLongLong();
        s.tokens.total = q.value(14).toLongLong();
        s.tokens.cachedInput = q.value(15).toLongLong();
        s.tokens.cacheCreation = q.value(16).toLongLong();
        s.tokens.reasoning = q.value(17).toLongLong();
        s.cost.totalUsd = q.value(18).toDouble();
        s.cost.inputUsd = q.value(19).toDouble();
        s.cost.outputUsd = q.value(20).toDouble();
        s.sessionId = q.value(21).toString();
        s.userId = q.value(22).toString();
    }

    // Columns: input, input_mime, output, output_mime, extra, extra_format starting at `base`.
    static bool readDetails(const QSqlQuery &q, int base, Span &s)
    {
        s.input.value = q.value(base).toString();
        s.input.mimeType = q.value(base + 1).toString();
        s.output.value = q.value(base + 2).toString();
        s.output.mimeType = q.value(base + 3).toString();
        return DetailCodec::decode(q.value(base + 4).toByteArray(), q.value(base + 5).toInt(), s);
    }

    static TraceSummary readSummary(const QSqlQuery &q)
    {
        TraceSummary t;
        t.traceId = q.value(0).toString();
        t.name = q.value(1).toString();
        t.serviceName = q.value(2).toString();
        t.startNs = q.value(3).toLongLong();
        t.endNs = q.value(4).toLongLong();
        t.spanCount = q.value(5).toInt();
        t.errorCount = q.value(6).toInt();
        t.llmCount = q.value(7).toInt();
        t.toolCount = q.value(8).toInt();
        t.inputTokens = q.value(9).toLongLong();
        t.outputTokens = q.value(10).toLongLong();
        t.totalTokens = q.value(11).toLongLong();
        t.costUsd = q.value(12).toDouble();
        t.computedCostUsd = q.value(13).toDouble();
        t.pricedSpanCount = q.value(14).toInt();
        t.models = splitList(q.value(15).toString());
        t.unpricedModels = splitList(q.value(16).toString());
        t.services = splitList(q.value(17).toString());
        t.sessionId = q.value(18).toString();
        t.userId = q.value(19).toString();
        return t;
    }

    // WHERE clause (with leading " WHERE " or empty) and its bound values, for traces aliased t.
    void filter(const TraceQuery &query, QString *where, QVariantList *binds) const
    {
        QStringList conds;
        if (!query.search.trimmed().isEmpty()) {
            if (isPg()) {
                const QString tsq = pg::tsQuery(query.search, binds);
                conds << QStringLiteral("t.trace_id IN (SELECT d.trace_id FROM span_details d WHERE d.fts @@ ")
                        + tsq + QLatin1Char(')');
            } else {
                const QString expression = ftsExpression(query.search);
                const QString cached = cachedSearchCondition(expression);
                if (!cached.isEmpty()) {
                    conds << cached;
                } else if (ftsMatchesAtLeast(expression, kBroadSearchMatches)) {
                    // As cachedSearchCondition() does (1,000,000 spans, 310,000 matches: the
                    // probing form takes 0.14 s where reading each match's trace took 0.45 s).
                    conds << QStringLiteral("EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id "
                                            "AND +s.detail_id IN (SELECT rowid FROM span_fts WHERE span_fts MATCH ?))");
                    *binds << expression;
                } else {
                    conds << QStringLiteral("t.trace_id IN (SELECT d.trace_id FROM span_fts JOIN span_details d "
                                            "ON d.id = span_fts.rowid WHERE span_fts MATCH ?)");
                    *binds << expression;
                }
            }
        }
        if (!query.model.isEmpty()) {
            conds << latin(dialect->modelCondition);
            *binds << query.model;
        }
        if (!query.service.isEmpty()) {
            conds << QStringLiteral("t.trace_id IN (SELECT v.trace_id FROM trace_services v WHERE v.service = ?)");
            *binds << query.service;
        }
        if (!query.sessionId.isEmpty()) {
            conds << QStringLiteral("t.session_id = ?");
            *binds << query.sessionId;
        }
        if (!query.userId.isEmpty()) {
            conds << QStringLiteral("t.user_id = ?");
            *binds << query.userId;
        }
        if (query.status == TraceQuery::Status::Error)
            conds << QStringLiteral("t.error_count > 0");
        else if (query.status == TraceQuery::Status::Ok)
            conds << QStringLiteral("t.error_count = 0");
        if (query.sinceNs != 0) {
            conds << QStringLiteral("t.start_ns >= ?");
            *binds << query.sinceNs;
        }
        if (query.untilNs != 0) {
            conds << QStringLiteral("t.start_ns < ?");
            *binds << query.untilNs;
        }
        if (query.minDurationNs > 0) {
            conds << QStringLiteral("t.duration_ns >= ?");
            *binds << query.minDurationNs;
        }
        if (query.minCostUsd > 0) {
            conds << QStringLiteral("t.cost_usd >= ?");
            *binds << query.minCostUsd;
        }
        if (!query.spanName.isEmpty()) {
            conds << QStringLiteral("t.trace_id IN (SELECT f.trace_id FROM trace_facets f WHERE f.name = ?)");
            *binds << query.spanName;
        }
        if (query.maxDurationNs > 0) {
            conds << QStringLiteral("t.duration_ns < ?");
            *binds << query.maxDurationNs;
        }
        if (query.maxCostUsd > 0) {
            conds << QStringLiteral("t.cost_usd < ?");
            *binds << query.maxCostUsd;
        }
        *where = conds.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conds.join(QStringLiteral(" AND "));
    }

    static QString sortColumn(TraceQuery::Sort sort)
    {
        switch (sort) {
        case TraceQuery::Sort::Start: return QStringLiteral("t.start_ns");
        case TraceQuery::Sort::Duration: return QStringLiteral("t.duration_ns");
        case TraceQuery::Sort::Name: return QStringLiteral("t.name");
        case TraceQuery::Sort::Spans: return QStringLiteral("t.span_count");
        case TraceQuery::Sort::Errors: return QStringLiteral("t.error_count");
        case TraceQuery::Sort::InputTokens: return QStringLiteral("t.input_tokens");
        case TraceQuery::Sort::OutputTokens: return QStringLiteral("t.output_tokens");
        case TraceQuery::Sort::Cost: return QStringLiteral("t.cost_usd");
        case TraceQuery::Sort::Session: return QStringLiteral("t.session_id");
        case TraceQuery::Sort::User: return QStringLiteral("t.user_id");
        case TraceQuery::Sort::Service: return QStringLiteral("t.service");
        case TraceQuery::Sort::Models: return QStringLiteral("t.models");
        }
        return QStringLiteral("t.start_ns");
    }
};

TraceStore::TraceStore() : d(std::make_unique<Private>()) {}

TraceStore::~TraceStore()
{
    close();
}

QString TraceStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/workspace.sqlite");
}

bool TraceStore::open(const QString &path)
{
    return open(path, OpenMode::ReadWrite);
}

bool TraceStore::open(const QString &path, OpenMode mode)
{
    close();
    d->error.clear();
    d->path = path;
    initStoreResources();
    if (path.isEmpty())
        return d->failOpen(tr("no file name was given"));
    if (StoreLocation::isPostgresUrl(path)) {
        d->dialect = &SqlDialect::postgres();
        const bool ok = d->openPostgres(mode);
        // The password stays out of path() (settings, window titles, messages).
        d->path = d->location.database.isEmpty() ? QString() : d->location.displayName();
        if (!ok)
            d->dialect = &SqlDialect::sqlite();
        return ok;
    }
    d->dialect = &SqlDialect::sqlite();
    d->location = StoreLocation::parse(path);

    const FileState state = inspectFile(path);
    switch (state) {
    case FileState::NotAFile: return d->failOpen(tr("it is not a file"));
    case FileState::Unreadable: return d->failOpen(tr("the file cannot be read"));
    case FileState::NotSqlite: return d->failOpen(tr("it is not a Spanscope workspace (not an SQLite database)"));
    case FileState::ForeignSqlite:
        return d->failOpen(tr("it is an SQLite database of another application, not a Spanscope workspace"));
    case FileState::Missing:
    case FileState::Empty:
    case FileState::Workspace: break;
    }
    const bool isNew = state != FileState::Workspace;
    if (isNew && mode == OpenMode::ReadOnly)
        return d->failOpen(state == FileState::Missing ? tr("the file does not exist") : tr("the file is empty"));
    d->readOnly = mode == OpenMode::ReadOnly || (!isNew && !QFileInfo(path).isWritable());
    if (state == FileState::Missing && !QDir().mkpath(QFileInfo(path).absolutePath()))
        return d->failOpen(tr("its folder cannot be created"));

    d->connectionName = QStringLiteral("spanscope-store-%1").arg(++s_connectionCounter);
    d->db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d->connectionName);
    if (!d->db.isValid()) {
        d->closeConnection();
        return d->failOpen(tr("Qt's SQLite driver (QSQLITE) is not installed"));
    }
    d->db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs);
    if (d->readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    d->db.setConnectOptions(options);

    auto fail = [&](const QString &reason) {
        d->closeConnection();
        // A workspace this call created and could not finish is not left behind.
        if (state == FileState::Missing) {
            QFile::remove(path);
            QFile::remove(path + QStringLiteral("-wal"));
            QFile::remove(path + QStringLiteral("-shm"));
        }
        d->readOnly = false;
        return d->failOpen(reason);
    };

    if (!d->db.open())
        return fail(Private::reasonFor(d->db.lastError()));

    QSqlError err;
    if (isNew) {
        // Page size first: it is fixed once the first page exists; the application id write creates it.
        if (!d->run(QStringLiteral("PRAGMA page_size = %1").arg(PageSize), &err)
            || !d->run(QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId), &err))
            return fail(Private::reasonFor(err));
        d->version = 0;
    } else {
        const QVariant appId = d->pragma(QStringLiteral("application_id"), &err);
        if (!appId.isValid())
            return fail(Private::reasonFor(err));
        if (appId.toInt() != ApplicationId)
            return fail(tr("it is an SQLite database of another application, not a Spanscope workspace"));
        d->version = d->pragma(QStringLiteral("user_version")).toInt();
        if (d->version > SchemaVersion) {
            return fail(tr("it was written by a newer version of Spanscope (schema version %1; this version "
                           "reads up to %2)")
                            .arg(d->version)
                            .arg(SchemaVersion));
        }
    }

    // Before any temp table exists: changing temp_store drops them.
    d->run(QStringLiteral("PRAGMA temp_store = MEMORY"));
    d->run(QStringLiteral("PRAGMA cache_size = -65536"));
    // Reads through a memory map instead of a read() per page into the cache: a full-text filter
    // touches rows all over span_details, and with 1M spans (1.2 GB) copying pages in cost 2-3×
    // the query itself. Writes still go through the WAL. (2 GB is this SQLite's compiled-in cap.)
    d->run(QStringLiteral("PRAGMA mmap_size = 2147418112"));
    if (!d->readOnly) {
        const QString journal = d->pragma(QStringLiteral("journal_mode = WAL")).toString();
        if (journal.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return fail(tr("the file system does not support the write-ahead log SQLite needs"));
        d->run(QStringLiteral("PRAGMA synchronous = NORMAL"));
        d->run(QStringLiteral("PRAGMA journal_size_limit = 67108864"));
        if (!d->run(latin(d->dialect->createTemp[0]), &err) || !d->run(latin(d->dialect->createTemp[1]), &err))
            return fail(Private::reasonFor(err));
    }

    if (d->version < SchemaVersion) {
        if (d->readOnly) {
            return fail(tr("it uses an older format (schema version %1) and must be opened for writing once to "
                           "be upgraded")
                            .arg(d->version));
        }
        QString reason;
        if (!d->migrate(&reason))
            return fail(reason);
    }

    if (!d->readOnly) {
        // Created after the migrations: a temp trigger needs the table it watches.
        if (!d->run(QStringLiteral("CREATE TEMP TRIGGER IF NOT EXISTS log_replaced AFTER UPDATE ON main.spans BEGIN "
                                   "INSERT INTO replaced (trace_id) VALUES (new.trace_id); END"),
                    &err))
            return fail(Private::reasonFor(err));
        d->repairAbandonedBulk();
        if (!d->prepareWriter())
            return fail(d->error);
    }
    d->error.clear();
    return true;
}

void TraceStore::close()
{
    if (!d->db.isValid()) {
        d->closeConnection();
        return;
    }
    if (d->bulk && !endBulk()) {
        // The indexes stay deferred; the next open() for writing restores them.
        d->bulk = false;
        --s_bulkSessionsInProcess;
    }
    d->closeConnection();
    d->readOnly = false;
    d->version = 0;
}

bool TraceStore::isPostgres() const
{
    return isOpen() && d->isPg();
}

void TraceStore::setPassword(const QString &url, const QString &password)
{
    const QString key = StoreLocation::parse(url).displayName();
    QMutexLocker lock(&s_passwordsMutex);
    if (password.isEmpty())
        s_passwords.remove(key);
    else
        s_passwords.insert(key, password);
}

bool TraceStore::isOpen() const
{
    return d->db.isValid() && d->db.isOpen();
}

QString TraceStore::path() const
{
    return d->path;
}

QString TraceStore::lastError() const
{
    return d->error;
}

int TraceStore::currentSchemaVersion()
{
    return SchemaVersion;
}

int TraceStore::schemaVersion() const
{
    return isOpen() ? d->version : 0;
}

bool TraceStore::isReadOnly() const
{
    return isOpen() && d->readOnly;
}

bool TraceStore::setMaximumSize(qint64 bytes)
{
    if (!isOpen())
        return false;
    if (d->isPg()) {
        d->error = tr("A size limit applies to workspace files only, not to a PostgreSQL store.");
        return false;
    }
    // SQLite's own ceiling (no cap) is 4294967294 pages.
    const qint64 pages = bytes > 0 ? std::max<qint64>(1, (bytes + PageSize - 1) / PageSize) : 4294967294LL;
    return d->pragma(QStringLiteral("max_page_count = %1").arg(pages)).isValid();
}

bool TraceStore::isBulk() const
{
    return d->bulk;
}

bool TraceStore::writeSpans(const SpanList &spans)
{
    return writeSpans(spans, {});
}

bool TraceStore::writeSpans(const SpanList &spans, const QList<EncodedDetail> &details)
{
    Q_ASSERT(details.isEmpty() || details.size() == spans.size());
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return false;
    }
    if (d->readOnly)
        return d->failWrite(tr("it was opened read-only"));
    if (spans.isEmpty())
        return true;
    if (d->isPg() && std::any_of(spans.cbegin(), spans.cend(), hasNul)) {
        // PostgreSQL text cannot hold U+0000: such characters are stored as U+FFFD.
        SpanList clean = spans;
        for (Span &c : clean) {
            for (QString *t : {&c.traceId, &c.spanId, &c.parentSpanId, &c.name, &c.serviceName, &c.statusMessage,
                               &c.requestModel, &c.responseModel, &c.provider, &c.sessionId, &c.userId,
                               &c.input.value, &c.input.mimeType, &c.output.value, &c.output.mimeType})
                *t = pgSafe(*t);
        }
        return writeSpans(clean, details);
    }

    // One copy per key: the later one, unless it is unfinished and the earlier one finished.
    QList<const Span *> batch;
    batch.reserve(spans.size());
    {
        QHash<std::pair<QStringView, QStringView>, qsizetype> slot;
        slot.reserve(spans.size());
        for (const Span &s : spans) {
            const auto key = std::make_pair(QStringView(s.traceId), QStringView(s.spanId));
            auto it = slot.constFind(key);
            if (it == slot.constEnd()) {
                slot.insert(key, batch.size());
                batch.push_back(&s);
            } else if (s.hasEnded() || !batch[*it]->hasEnded()) {
                batch[*it] = &s;
            }
        }
    }
    // The batch's spans by trace, traces in order of first appearance.
    QList<QStringView> traceOrder;
    QHash<QStringView, QList<const Span *>> byTrace;
    for (const Span *s : std::as_const(batch)) {
        auto it = byTrace.find(s->traceId);
        if (it == byTrace.end()) {
            traceOrder << s->traceId;
            it = byTrace.insert(s->traceId, {});
        }
        it->push_back(s);
    }

    QSqlError err;
    if (!d->begin(&err))
        return d->failWrite(Private::reasonFor(err));
    auto failed = [&](const QSqlError &e) {
        d->rollback();
        return d->failWrite(Private::reasonFor(e));
    };

    if (!d->run(*d->readMeta, &err) || !d->readMeta->next())
        return failed(err);
    const qint64 watermark = d->readMeta->value(0).toLongLong();
    const qint64 maxIdBefore = d->readMeta->value(1).toLongLong();
    d->readMeta->finish();
    // Fresh ids above anything ever indexed: a reused id at or below the watermark would be taken
    // for indexed.
    // Span batch[i]'s details row gets id firstId + i, and its spans row names it (detail_id).
    const qint64 firstId = std::max(watermark, maxIdBefore) + 1;
    qint64 nextId = firstId;

    if (d->clearReplaced && !d->run(*d->clearReplaced, &err))
        return failed(err);
    // Traces whose rollup cannot be merged from the new spans alone: a span replaced (logged by
    // the temp trigger into temp.replaced) or kept (an unfinished copy of a finished span).
    QSet<QString> recompute;
    bool anyKept = false;  // an unfinished copy of a finished span: the upsert left the row as it was
    const qsizetype n = batch.size();
    const QStringList &p = d->spanParams;
    const bool fast = d->fastSpansMany != nullptr;
    for (qsizetype i = 0; fast && i < n;) {
        const bool many = n - i >= RowsPerStatement;
        sqlite::Statement &st = many ? *d->fastSpansMany : *d->fastSpansOne;
        const int rows = many ? RowsPerStatement : 1;
        st.reset();
        for (int r = 0; r < rows; ++r) {
            const Span &s = *batch[i + r];
            const int b = r * SpanColumnCount;
            st.bindText(b + 1, s.traceId);
            st.bindText(b + 2, s.spanId);
            st.bindText(b + 3, s.parentSpanId);
            st.bindText(b + 4, s.name);
            st.bindInt64(b + 5, int(s.kind));
            st.bindInt64(b + 6, s.otelKind);
            st.bindText(b + 7, s.serviceName);
            st.bindInt64(b + 8, s.startNs);
            st.bindInt64(b + 9, s.endNs);
            st.bindInt64(b + 10, int(s.status));
            st.bindText(b + 11, s.statusMessage);
            st.bindText(b + 12, s.model());
            st.bindText(b + 13, s.requestModel);
            st.bindText(b + 14, s.provider);
            st.bindInt64(b + 15, s.tokens.input);
            st.bindInt64(b + 16, s.tokens.output);
            st.bindInt64(b + 17, s.tokens.total);
            st.bindInt64(b + 18, s.tokens.cachedInput);
            st.bindInt64(b + 19, s.tokens.cacheCreation);
            st.bindInt64(b + 20, s.tokens.reasoning);
            st.bindDouble(b + 21, number(s.cost.totalUsd));
            st.bindDouble(b + 22, number(s.cost.inputUsd));
            st.bindDouble(b + 23, number(s.cost.outputUsd));
            st.bindInt64(b + 24, int(s.cost.source));
            st.bindText(b + 25, s.sessionId);
            st.bindText(b + 26, s.userId);
            st.bindInt64(b + 27, firstId + i + r);
        }
        if (!stepFast(st, &err))
            return failed(err);
        if (st.changes() < rows) {
            anyKept = true;
            for (int r = 0; r < rows; ++r)
                recompute.insert(batch[i + r]->traceId);
        }
        i += rows;
    }
    for (qsizetype i = 0; !fast && i < n;) {
        const bool many = n - i >= RowsPerStatement;
        QSqlQuery &q = many ? *d->upsertSpansMany : *d->upsertSpansOne;
        const int rows = many ? RowsPerStatement : 1;
        for (int r = 0; r < rows; ++r) {
            const Span &s = *batch[i + r];
            const int b = r * SpanColumnCount;
            q.bindValue(p[b + 0], text(s.traceId));
            q.bindValue(p[b + 1], text(s.spanId));
            q.bindValue(p[b + 2], text(s.parentSpanId));
            q.bindValue(p[b + 3], text(s.name));
            q.bindValue(p[b + 4], int(s.kind));
            q.bindValue(p[b + 5], s.otelKind);
            q.bindValue(p[b + 6], text(s.serviceName));
            q.bindValue(p[b + 7], s.startNs);
            q.bindValue(p[b + 8], s.endNs);
            q.bindValue(p[b + 9], int(s.status));
            q.bindValue(p[b + 10], text(s.statusMessage));
            q.bindValue(p[b + 11], text(s.model()));
            q.bindValue(p[b + 12], text(s.requestModel));
            q.bindValue(p[b + 13], text(s.provider));
            q.bindValue(p[b + 14], s.tokens.input);
            q.bindValue(p[b + 15], s.tokens.output);
            q.bindValue(p[b + 16], s.tokens.total);
            q.bindValue(p[b + 17], s.tokens.cachedInput);
            q.bindValue(p[b + 18], s.tokens.cacheCreation);
            q.bindValue(p[b + 19], s.tokens.reasoning);
            q.bindValue(p[b + 20], number(s.cost.totalUsd));
            q.bindValue(p[b + 21], number(s.cost.inputUsd));
            q.bindValue(p[b + 22], number(s.cost.outputUsd));
            q.bindValue(p[b + 23], int(s.cost.source));
            q.bindValue(p[b + 24], text(s.sessionId));
            q.bindValue(p[b + 25], text(s.userId));
            q.bindValue(p[b + 26], firstId + i + r);
        }
        if (!d->run(q, &err))
            return failed(err);
        if (d->readReplaced) {
            if (q.numRowsAffected() < rows) {
                anyKept = true;
                for (int r = 0; r < rows; ++r)
                    recompute.insert(batch[i + r]->traceId);
            }
        } else {
            // RETURNING: one row per span inserted or replaced, with whether it was inserted.
            int returned = 0;
            while (q.next()) {
                ++returned;
                if (!q.value(1).toBool())
                    recompute.insert(q.value(0).toString());
            }
            q.finish();
            if (returned < rows) {
                anyKept = true;
                for (int r = 0; r < rows; ++r)
                    recompute.insert(batch[i + r]->traceId);
            }
        }
        i += rows;
    }
    if (d->readReplaced) {
        if (!d->run(*d->readReplaced, &err))
            return failed(err);
        while (d->readReplaced->next())
            recompute.insert(d->readReplaced->value(0).toString());
        d->readReplaced->finish();
    }

    qint64 inserted = 0;
    const QStringList &dp = d->detailParams;
    const bool utf8Details = d->dialect->detailTextAsUtf8;
    auto detailOf = [&](const Span &s, DetailCodec::Format *format) {
        QByteArray extra;
        if (details.isEmpty()) {
            extra = DetailCodec::encode(s, format);
        } else {
            const EncodedDetail &encoded = details.at(&s - spans.constData());
            extra = encoded.data;
            *format = encoded.format;
        }
        if (*format == DetailCodec::Cbor && extra.size() <= 2)
            extra = QByteArray();  // an empty map: store NULL
        return extra;
    };
    for (qsizetype i = 0; fast && i < n;) {
        const bool many = n - i >= RowsPerStatement;
        sqlite::Statement &st = many ? *d->fastDetailsMany : *d->fastDetailsOne;
        const int rows = many ? RowsPerStatement : 1;
        st.reset();
        for (int r = 0; r < rows; ++r) {
            const Span &s = *batch[i + r];
            const int b = r * DetailColumnCount;
            DetailCodec::Format format = DetailCodec::Cbor;
            const QByteArray extra = detailOf(s, &format);
            st.bindInt64(b + 1, nextId++);
            st.bindText(b + 2, s.traceId);
            st.bindText(b + 3, s.spanId);
            st.bindText(b + 4, s.name);
            if (const EncodedDetail *encoded = details.isEmpty() ? nullptr : &details.at(&s - spans.constData());
                encoded && encoded->hasText) {
                st.bindText(b + 5, encoded->input);
                st.bindText(b + 7, encoded->output);
            } else {
                st.bindText(b + 5, s.input.value);
                st.bindText(b + 7, s.output.value);
            }
            st.bindText(b + 6, s.input.mimeType);
            st.bindText(b + 8, s.output.mimeType);
            st.bindBlob(b + 9, extra);
            st.bindInt64(b + 10, int(format));
        }
        if (!stepFast(st, &err))
            return failed(err);
        inserted += st.changes();
        i += rows;
    }
    for (qsizetype i = 0; !fast && i < n;) {
        const bool many = n - i >= RowsPerStatement;
        QSqlQuery &q = many ? *d->insertDetailsMany : *d->insertDetailsOne;
        const int rows = many ? RowsPerStatement : 1;
        for (int r = 0; r < rows; ++r) {
            const Span &s = *batch[i + r];
            const int b = r * DetailColumnCount;
            DetailCodec::Format format = DetailCodec::Cbor;
            const QByteArray extra = detailOf(s, &format);
            q.bindValue(dp[b + 0], nextId++);
            q.bindValue(dp[b + 1], text(s.traceId));
            q.bindValue(dp[b + 2], text(s.spanId));
            q.bindValue(dp[b + 3], text(s.name));
            q.bindValue(dp[b + 4], utf8Details ? utf8(s.input.value) : text(s.input.value));
            q.bindValue(dp[b + 5], text(s.input.mimeType));
            q.bindValue(dp[b + 6], utf8Details ? utf8(s.output.value) : text(s.output.value));
            q.bindValue(dp[b + 7], text(s.output.mimeType));
            q.bindValue(dp[b + 8], extra);
            q.bindValue(dp[b + 9], int(format));
        }
        if (!d->run(q, &err))
            return failed(err);
        inserted += q.numRowsAffected();
        i += rows;
    }
    Q_ASSERT(nextId == firstId + n);
    if (anyKept) {
        // (Its span_details_deleted trigger takes each row off fts_pending, which `inserted` counted.)
        d->dropUnnamedDetails->bindValue(QStringLiteral(":a"), firstId);
        d->dropUnnamedDetails->bindValue(QStringLiteral(":b"), nextId - 1);
        if (!d->run(*d->dropUnnamedDetails, &err))
            return failed(err);
    }

    // Rollups: merged for traces that only gained spans, recomputed for the others.
    bool anyRecompute = false;
    if (!d->run(*d->clearTouched, &err))
        return failed(err);
    for (const QStringView traceId : std::as_const(traceOrder)) {
        const QString id = traceId.toString();
        if (recompute.contains(id)) {
            d->insertTouched->bindValue(QStringLiteral(":t"), text(id));
            if (!d->run(*d->insertTouched, &err))
                return failed(err);
            anyRecompute = true;
            continue;
        }
        RollupState state;
        const QList<const Span *> &added = byTrace[traceId];
        if (!d->loadState(id, state, &err))
            return failed(err);
        state.merge(added);
        if (!d->saveState(state, added, &err) || !d->saveFacets(id, added, &err))
            return failed(err);
    }
    if (anyRecompute && (!d->rollup(&err) || !d->rollupFacets(&err)))
        return failed(err);

    if (!d->addPending) {
        // The full-text index is maintained by the database (PostgreSQL's generated tsvector).
    } else if (!d->bulk && !d->fullTextDeferred && maxIdBefore - watermark <= LiveCatchUpRows) {
        d->indexAbove->bindValue(QStringLiteral(":w"), watermark);
        d->setIndexed->bindValue(QStringLiteral(":w"), nextId - 1);
        if (!d->run(*d->indexAbove, &err) || !d->run(*d->setIndexed, &err))
            return failed(err);
    } else {
        d->addPending->bindValue(QStringLiteral(":n"), inserted);
        if (!d->run(*d->addPending, &err))
            return failed(err);
    }
    if (!d->commit(&err))
        return d->failWrite(Private::reasonFor(err));
    d->error.clear();
    return true;
}

bool TraceStore::beginBulk()
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return false;
    }
    if (d->readOnly)
        return d->failWrite(tr("it was opened read-only"));
    if (d->bulk)
        return true;
    if (d->isPg()) {
        // A team store is shared: its indexes stay (others keep querying while one imports), and
        // PostgreSQL maintains them well enough during a bulk load.
        d->bulk = true;
        ++s_bulkSessionsInProcess;
        return true;
    }
    QSqlError err;
    if (!d->begin(&err))
        return d->failWrite(Private::reasonFor(err));
    QStringList names;
    {
        QSqlQuery q(d->db);
        if (!q.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix!_%' ESCAPE '!'"))) {
            const QSqlError e = q.lastError();
            d->rollback();
            return d->failWrite(Private::reasonFor(e));
        }
        while (q.next())
            names << q.value(0).toString();
    }
    for (const QString &name : std::as_const(names)) {
        // Index names come from sqlite_schema and match ix_*; quoted anyway.
        if (!d->run(QStringLiteral("DROP INDEX \"%1\"").arg(name), &err)) {
            d->rollback();
            return d->failWrite(Private::reasonFor(err));
        }
    }
    if (!d->run(QStringLiteral("UPDATE meta SET bulk_pid = %1 WHERE id = 1").arg(QCoreApplication::applicationPid()),
                &err)) {
        d->rollback();
        return d->failWrite(Private::reasonFor(err));
    }
    if (!d->commit(&err))
        return d->failWrite(Private::reasonFor(err));
    d->bulk = true;
    ++s_bulkSessionsInProcess;
    // A bulk load reads back little but would keep every page it touches mapped (resident);
    // the memory map is for readers (see open()).
    d->run(QStringLiteral("PRAGMA mmap_size = 0"));
    d->checkpointer = std::make_unique<WalCheckpointer>(QFileInfo(d->path).absoluteFilePath());
    // The writer still checkpoints (at 256 MB of log) when the background falls behind: the log
    // only starts over once a checkpoint has caught up with it between two of our transactions.
    // The log is not cut back to 64 MB each time it starts over (journal_size_limit): truncating
    // it cost the writer 10–75 ms a time, and growing it again costs block allocations.
    if (d->checkpointer->start()) {
        d->run(QStringLiteral("PRAGMA wal_autocheckpoint = 16384"));
        d->run(QStringLiteral("PRAGMA journal_size_limit = -1"));
    } else {
        d->checkpointer.reset();
    }
    return true;
}

void TraceStore::setFullTextDeferred(bool deferred)
{
    d->fullTextDeferred = deferred;
}

bool TraceStore::isFullTextDeferred() const
{
    return d->fullTextDeferred;
}

void TraceStore::setMemoryMapped(bool mapped)
{
    if (isOpen() && !d->isPg())
        d->run(mapped ? QStringLiteral("PRAGMA mmap_size = 2147418112") : QStringLiteral("PRAGMA mmap_size = 0"));
}

bool TraceStore::endBulk()
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return false;
    }
    if (d->checkpointer) {
        d->checkpointer.reset();
        d->run(QStringLiteral("PRAGMA wal_autocheckpoint = 1000"));  // SQLite's default
        d->run(QStringLiteral("PRAGMA journal_size_limit = 67108864"));  // as open() sets it
    }
    if (d->readOnly)
        return d->failWrite(tr("it was opened read-only"));
    if (d->isPg()) {
        if (d->bulk) {
            d->bulk = false;
            --s_bulkSessionsInProcess;
        }
        return true;
    }
    QSqlError err;
    if (!d->begin(&err))
        return d->failWrite(Private::reasonFor(err));
    if (!d->createIndexes(&err) || !d->run(QStringLiteral("UPDATE meta SET bulk_pid = 0 WHERE id = 1"), &err)) {
        d->rollback();
        return d->failWrite(Private::reasonFor(err));
    }
    if (!d->commit(&err))
        return d->failWrite(Private::reasonFor(err));
    if (d->bulk) {
        d->bulk = false;
        --s_bulkSessionsInProcess;
    }
    return true;
}

qint64 TraceStore::indexFullText(qint64 maxRows)
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return -1;
    }
    if (d->readOnly) {
        d->failWrite(tr("it was opened read-only"));
        return -1;
    }
    if (!d->addPending) {
        d->error.clear();
        return 0;  // nothing is ever pending (PostgreSQL indexes each row as it is written)
    }
    qint64 total = 0;
    while (maxRows < 0 || total < maxRows) {
        const qint64 chunk = maxRows < 0 ? FullTextChunkRows : std::min(FullTextChunkRows, maxRows - total);
        QSqlError err;
        if (!d->begin(&err)) {
            d->failWrite(Private::reasonFor(err));
            return -1;
        }
        QSqlQuery q(d->db);
        q.setForwardOnly(true);
        qint64 watermark = 0, count = 0, upper = 0;
        bool ok = q.exec(QStringLiteral("SELECT fts_watermark FROM meta WHERE id = 1")) && q.next();
        if (ok) {
            watermark = q.value(0).toLongLong();
            q.finish();
            ok = q.prepare(QStringLiteral("SELECT count(*), ifnull(max(id), 0) FROM "
                                          "(SELECT id FROM span_details WHERE id > ? ORDER BY id LIMIT ?)"));
            q.addBindValue(watermark);
            q.addBindValue(chunk);
            ok = ok && q.exec() && q.next();
        }
        if (ok) {
            count = q.value(0).toLongLong();
            upper = q.value(1).toLongLong();
            q.finish();
            if (count == 0) {
                // Nothing above the watermark: whatever the counter says, nothing is pending.
                ok = q.exec(QStringLiteral("UPDATE meta SET fts_pending = 0 WHERE id = 1"));
            } else {
                ok = q.prepare(QStringLiteral("INSERT INTO span_fts (rowid, name, input, output) "
                                              "SELECT id, name, input, output FROM span_details "
                                              "WHERE id > ? AND id <= ?"));
                q.addBindValue(watermark);
                q.addBindValue(upper);
                ok = ok && q.exec();
                if (ok) {
                    ok = q.prepare(QStringLiteral("UPDATE meta SET fts_watermark = ?, "
                                                  "fts_pending = max(fts_pending - ?, 0) WHERE id = 1"));
                    q.addBindValue(upper);
                    q.addBindValue(count);
                    ok = ok && q.exec();
                }
            }
        }
        if (!ok) {
            err = q.lastError();
            q.finish();
            d->rollback();
            d->failWrite(Private::reasonFor(err));
            return -1;
        }
        if (!d->commit(&err)) {
            d->failWrite(Private::reasonFor(err));
            return -1;
        }
        total += count;
        if (count < chunk)
            break;
    }
    d->error.clear();
    return total;
}

QList<TraceSummary> TraceStore::listTraces(const TraceQuery &query) const
{
    QList<TraceSummary> out;
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return out;
    }
    QString where;
    QVariantList binds;
    d->filter(query, &where, &binds);
    const QString dir = query.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    const QString order = QStringLiteral(" ORDER BY ") + Private::sortColumn(query.sort) + dir + QStringLiteral(", t.trace_id") + dir;
    // The page's keys first, then its rows: sorting on a column without an index (name, span
    // count…) made SQLite's sorter carry all 20 columns of every trace (200 ms at 20,000 traces);
    // this way it carries the sort key and the id, and only the page's rows are read in full.
    const QString sql = QStringLiteral("SELECT ") + latin(TraceColumns)
        + QStringLiteral(" FROM traces t JOIN (SELECT t.trace_id AS page_id FROM traces t") + where + order
        + QStringLiteral(" LIMIT ? OFFSET ?) page ON t.trace_id = page.page_id") + order;
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    bool ok = q.prepare(sql);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    q.addBindValue(query.limit > 0 ? QVariant(query.limit) : d->dialect->noLimit);
    q.addBindValue(std::max(query.offset, 0));
    if (!ok || !q.exec()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return out;
    }
    while (q.next())
        out.push_back(Private::readSummary(q));
    d->error.clear();
    return out;
}

qint64 TraceStore::countTraces(const TraceQuery &query) const
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return 0;
    }
    QString where;
    QVariantList binds;
    d->filter(query, &where, &binds);
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    bool ok = q.prepare(QStringLiteral("SELECT count(*) FROM traces t") + where);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!ok || !q.exec() || !q.next()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return 0;
    }
    d->error.clear();
    return q.value(0).toLongLong();
}

std::optional<TraceSummary> TraceStore::traceSummary(const QString &traceId) const
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return std::nullopt;
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + latin(TraceColumns) + QStringLiteral(" FROM traces t WHERE t.trace_id = ?"));
    q.addBindValue(text(traceId));
    if (!q.exec()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return std::nullopt;
    }
    d->error.clear();
    if (!q.next())
        return std::nullopt;
    return Private::readSummary(q);
}

QString TraceStore::resolveTraceId(const QString &prefix) const
{
    if (!isOpen() || prefix.isEmpty())
        return {};
    auto lookup = [&](const QString &p) -> QString {
        QSqlQuery q(d->db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT trace_id FROM traces WHERE trace_id = ?"));
        q.addBindValue(p);
        if (q.exec() && q.next())
            return q.value(0).toString();
        // Range scan on the primary key: every id starting with p sorts between p and p + U+10FFFF.
        q.prepare(latin(d->dialect->resolvePrefix));
        q.addBindValue(p);
        q.addBindValue(p);
        QStringList found;
        if (q.exec()) {
            while (q.next())
                found << q.value(0).toString();
        }
        return found.size() == 1 ? found.first() : QString();
    };
    QString id = lookup(prefix);
    if (id.isEmpty() && prefix != prefix.toLower())
        id = lookup(prefix.toLower());
    return id;
}

Trace TraceStore::loadTrace(const QString &traceId, bool withDetails) const
{
    return Trace(loadSpans(traceId, withDetails, SpanOrder::AsStored));
}

namespace {

// Reads the rows of a bound `SELECT LoadColumns FROM spans …` into `out`, converting each distinct
// name, service, model… once and sharing it among the spans that repeat it. False on an SQLite
// error (st.error()).
bool readLoadRows(sqlite::Statement &st, const QString &traceId, SpanList &out)
{
    QHash<QByteArray, QString> shared;
    // Per column, the last value read: consecutive spans mostly repeat their service,
    // model, session… so one memcmp usually saves the hash lookup.
    struct Last {
        QByteArray bytes;
        QString value;
        bool valid = false;
    };
    Last last[LoadColumnCount];
    auto textAt = [&](int column) {
        int length = 0;
        const char *p = st.text(column, &length);
        return QString::fromUtf8(p, length);
    };
    auto sharedAt = [&](int column) -> QString {
        int length = 0;
        const char *p = st.text(column, &length);
        Last &l = last[column];
        if (l.valid && l.bytes.size() == length && (length == 0 || std::memcmp(l.bytes.constData(), p, size_t(length)) == 0))
            return l.value;
        const QByteArray key = QByteArray::fromRawData(p ? p : "", length);
        auto it = shared.constFind(key);
        if (it == shared.constEnd())
            it = shared.insert(QByteArray(key.constData(), key.size()), QString::fromUtf8(p, length));
        l.bytes = it.key();
        l.value = *it;
        l.valid = true;
        return *it;
    };
    while (st.step()) {
        Span &s = out.emplace_back();
        s.traceId = traceId;
        // The columns of LoadColumns, as readSpan() reads them.
        s.spanId = textAt(0);
        // Parent ids are converted, not shared: rows come in span-id order, so siblings
        // are rarely adjacent and the shared path paid a hash lookup and insert for most
        // of them (loading 100k spans took 11% longer; sharing saved 3% of peak memory).
        s.parentSpanId = textAt(1);
        s.name = sharedAt(2);
        const qint64 flags = st.int64(3);
        const int kind = int(flags & 0xff), status = int((flags >> 8) & 0xff), source = int((flags >> 16) & 0xff);
        s.kind = kind < SpanKindCount ? SpanKind(kind) : SpanKind::Span;
        s.status = status <= 2 ? StatusCode(status) : StatusCode::Unset;
        s.cost.source = source <= 2 ? CostSource(source) : CostSource::None;
        s.otelKind = int(st.int64(4));
        s.serviceName = sharedAt(5);
        s.startNs = st.int64(6);
        s.endNs = st.int64(7);
        s.statusMessage = sharedAt(8);
        const QString model = sharedAt(9);
        s.requestModel = sharedAt(10);
        s.responseModel = model != s.requestModel ? model : QString();
        s.provider = sharedAt(11);
        s.tokens.input = st.int64(12);
        s.tokens.output = st.int64(13);
        s.tokens.total = st.int64(14);
        s.tokens.cachedInput = st.int64(15);
        s.tokens.cacheCreation = st.int64(16);
        s.tokens.reasoning = st.int64(17);
        s.cost.totalUsd = st.real(18);
        s.cost.inputUsd = st.real(19);
        s.cost.outputUsd = st.real(20);
        s.sessionId = sharedAt(21);
        s.userId = sharedAt(22);
    }
    return !st.failed();
}

// Prepares `sql` on `db`, binds the trace id (and `spanId` second, unless null) and reads the
// rows into `out`. False with *error empty when the statement could not be prepared or bound
// (nothing read); false with *error when reading failed.
bool readSpans(const QSqlDatabase &db, const QByteArray &sql, const QString &traceId, const QByteArray &spanId,
               SpanList &out, QString *error)
{
    sqlite::Statement st(db, sql.constData());
    if (!st.isValid() || !st.bindText(1, traceId.toUtf8()) || (!spanId.isNull() && !st.bindText(2, spanId)))
        return false;
    if (readLoadRows(st, traceId, out))
        return true;
    *error = st.error();
    return false;
}

} // namespace

bool TraceStore::Private::loadInTwoHalves(const QString &traceId, const QByteArray &select, SpanList &loaded, QString *error)
{
    const QByteArray below = select + QByteArrayLiteral(" AND span_id < ?");
    const QByteArray from = select + QByteArrayLiteral(" AND span_id >= ?");
    // The first span id of the second half (the key of the middle row).
    QByteArray middle;
    {
        sqlite::Statement st(db, "SELECT span_id FROM spans WHERE trace_id = ? ORDER BY span_id LIMIT 1 OFFSET ?");
        if (!st.isValid() || !st.bindText(1, traceId.toUtf8()) || !st.bindInt64(2, loaded.capacity() / 2))
            return false;
        if (!st.step()) {
            if (st.failed())
                *error = st.error();
            return false;  // fewer rows than traces.span_count said: read them in one go
        }
        int length = 0;
        const char *p = st.text(0, &length);
        middle = QByteArray(p, length);
    }
    // The second half on its own connection (a Qt SQL connection belongs to the thread that made
    // it). Both read committed data; a writer committing in between could make the halves come
    // from two snapshots, which a reload resolves, as for any trace still being written.
    SpanList second;
    second.reserve(loaded.capacity() - loaded.capacity() / 2 + 1);
    QString secondError;
    bool secondRead = false;
    std::thread helper([&] {
        const QString name = QStringLiteral("spanscope-load-%1").arg(++s_connectionCounter);
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(path);
            other.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1;QSQLITE_OPEN_READONLY").arg(BusyTimeoutMs));
            if (other.open() && sqlite::available(other))
                secondRead = readSpans(other, from, traceId, middle, second, &secondError);
            other.close();
        }
        QSqlDatabase::removeDatabase(name);
    });
    const bool firstRead = readSpans(db, below, traceId, middle, loaded, error);
    helper.join();
    if (!firstRead) {
        loaded.clear();
        return false;
    }
    if (!secondRead) {
        // The helper could not open or read (say, a read-only folder where a second reader cannot
        // join the write-ahead log): the second half here, after the first.
        second.clear();
        QString again;
        if (!readSpans(db, from, traceId, middle, second, &again)) {
            *error = again.isEmpty() ? secondError : again;
            loaded.clear();
            return false;
        }
    }
    loaded.append(std::move(second));
    return true;
}

SpanList TraceStore::loadSpans(const QString &traceId, bool withDetails, SpanOrder spanOrder) const
{
    SpanList loaded;
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return loaded;
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    if (q.prepare(QStringLiteral("SELECT span_count FROM traces WHERE trace_id = ?"))) {
        q.addBindValue(text(traceId));
        // No madvise(MADV_HUGEPAGE) here: it halved the page faults of a warm process, but with
        // memory fragmented (after an import) the kernel compacted memory in the fault, and the
        // first open of a 100,000-span trace took 410-460 ms instead of about 270.
        if (q.exec() && q.next())
            loaded.reserve(q.value(0).toInt());
    }
    // Read in primary-key order and sorted here: SQLite's sorter would carry every column along.
    QString sql;
    if (withDetails) {
        QStringList cols = latin(LoadColumns).split(QStringLiteral(", "));
        for (QString &c : cols)
            c.prepend(QStringLiteral("s."));
        cols[3] = QStringLiteral("s.kind | (s.status << 8) | (s.cost_source << 16)");
        sql = QStringLiteral("SELECT ") + cols.join(QStringLiteral(", "))
            + QStringLiteral(", d.id, d.input, d.input_mime, d.output, d.output_mime, d.extra, d.extra_format "
                             "FROM spans s LEFT JOIN span_details d ON d.id = s.detail_id "
                             "WHERE s.trace_id = ?");
    } else {
        sql = QStringLiteral("SELECT ") + latin(LoadColumns) + QStringLiteral(" FROM spans WHERE trace_id = ?");
    }
    bool damaged = false;
    bool read = false;
    if (!withDetails && sqlite::available(d->db)) {
        // The open path of a big trace: SQLite's API directly (see sqliteapi.h). A big one is
        // read in two halves at once, the second on a connection and thread of its own.
        const QByteArray select = sql.toUtf8();
        QString error;
        read = (loaded.capacity() >= ParallelLoadSpans && !d->path.isEmpty() && sqlite::inAutocommit(d->db)
                && d->loadInTwoHalves(traceId, select, loaded, &error))
            || (error.isEmpty() && readSpans(d->db, select, traceId, QByteArray(), loaded, &error));
        if (!error.isEmpty()) {
            d->failRead(error);
            return {};
        }
    }
    if (!read) {
        q.prepare(sql);
        q.addBindValue(text(traceId));
        if (!q.exec()) {
            d->failRead(Private::reasonFor(q.lastError()));
            return loaded;
        }
        while (q.next()) {
            Span &s = loaded.emplace_back();
            s.traceId = traceId;
            Private::readSpan(q, s);
            if (withDetails && !q.isNull(LoadColumnCount)) {
                if (!Private::readDetails(q, LoadColumnCount + 1, s))
                    damaged = true;
            }
        }
        q.finish();
    }

    if (spanOrder == SpanOrder::ByStart) {
        // Sorted on compact (start, index) keys: comparing the spans themselves read two of them far
        // apart in memory per comparison. Equal starts fall back to the span ids.
        std::vector<std::pair<qint64, int>> order(size_t(loaded.size()));
        for (int i = 0; i < int(loaded.size()); ++i)
            order[size_t(i)] = {loaded[i].startNs, i};
        std::sort(order.begin(), order.end(), [&](const std::pair<qint64, int> &a, const std::pair<qint64, int> &b) {
            return a.first != b.first ? a.first < b.first : loaded[a.second].spanId < loaded[b.second].spanId;
        });
        // Applied in place (see permuteInPlace): a second list of 100,000 spans would cost as much in
        // fresh pages as the first.
        std::vector<int> perm(order.size());
        for (size_t i = 0; i < order.size(); ++i)
            perm[i] = order[i].second;
        permuteInPlace(loaded, perm);
    }

    if (damaged)
        d->failRead(tr("the details of some spans are damaged and were left out"));
    else
        d->error.clear();
    return loaded;
}

bool TraceStore::loadSpanDetails(Span &span) const
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return false;
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT input, input_mime, output, output_mime, extra, extra_format FROM span_details "
                             "WHERE id = (SELECT detail_id FROM spans WHERE trace_id = ? AND span_id = ?)"));
    q.addBindValue(text(span.traceId));
    q.addBindValue(text(span.spanId));
    if (!q.exec()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return false;
    }
    if (!q.next()) {
        d->failRead(tr("span %1 of trace %2 is not in it").arg(span.spanId, span.traceId));
        return false;
    }
    if (!Private::readDetails(q, 0, span)) {
        d->failRead(tr("the details of span %1 are damaged").arg(span.spanId));
        return false;
    }
    d->error.clear();
    return true;
}

QList<SearchHit> TraceStore::search(const QString &text, int limit) const
{
    QList<SearchHit> out;
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return out;
    }
    if (text.trimmed().isEmpty())
        return out;
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    if (d->isPg()) {
        // ts_headline() over what the index saw; hits in the order they were stored, like SQLite's.
        QVariantList binds;
        const QString tsq = pg::tsQuery(text, &binds);
        q.prepare(QStringLiteral("SELECT d.trace_id, d.span_id, d.name, ts_headline('simple', left(d.name, 2000) || ' ' "
                                 "|| left(d.input, 150000) || ' ' || left(d.output, 150000), x.q, "
                                 "'StartSel=\"\", StopSel=\"\", MaxWords=12, MinWords=6, MaxFragments=1, "
                                 "FragmentDelimiter=\" … \"') "
                                 "FROM span_details d, (SELECT ")
                  + tsq + QStringLiteral(" AS q) x WHERE d.fts @@ x.q ORDER BY d.id LIMIT ?"));
        for (const QVariant &v : std::as_const(binds))
            q.addBindValue(v);
        q.addBindValue(limit > 0 ? QVariant(limit) : d->dialect->noLimit);
    } else {
        q.prepare(QStringLiteral("SELECT d.trace_id, d.span_id, d.name, snippet(span_fts, -1, '', '', '…', 12) "
                                 "FROM span_fts JOIN span_details d ON d.id = span_fts.rowid "
                                 "WHERE span_fts MATCH ? LIMIT ?"));
        q.addBindValue(d->ftsExpression(text));
        q.addBindValue(limit > 0 ? limit : -1);
    }
    if (!q.exec()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return out;
    }
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
    d->error.clear();
    return out;
}

WorkspaceCounts TraceStore::counts() const
{
    WorkspaceCounts c;
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return c;
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    if (!q.exec(latin(d->dialect->counts))
        || !q.next()) {
        d->failRead(Private::reasonFor(q.lastError()));
        return c;
    }
    c.traces = q.value(0).toLongLong();
    c.spans = q.value(1).toLongLong();
    c.pendingFullText = q.value(2).toLongLong();
    d->error.clear();
    return c;
}

QStringList TraceStore::distinctValues(const QString &field) const
{
    QStringList out;
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return out;
    }
    QString sql;
    if (field == QLatin1String("model"))
        sql = QStringLiteral("SELECT DISTINCT model FROM trace_models");
    else if (field == QLatin1String("service"))
        sql = QStringLiteral("SELECT DISTINCT service FROM trace_services");
    else if (field == QLatin1String("session"))
        sql = QStringLiteral("SELECT DISTINCT session_id FROM traces WHERE session_id <> ''");
    else if (field == QLatin1String("user"))
        sql = QStringLiteral("SELECT DISTINCT user_id FROM traces WHERE user_id <> ''");
    else {
        d->error = tr("Unknown trace field “%1” (expected model, service, session or user).").arg(field);
        return out;
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    if (!q.exec(sql)) {
        d->failRead(Private::reasonFor(q.lastError()));
        return out;
    }
    while (q.next())
        out << q.value(0).toString();
    std::sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    d->error.clear();
    return out;
}

QSqlDatabase TraceStore::database() const
{
    return d->db;
}

QString TraceStore::traceFilterSql(const TraceQuery &query, QVariantList *binds) const
{
    QString where;
    if (isOpen())
        d->filter(query, &where, binds);
    return where;
}

qint64 TraceStore::recomputeCosts(const std::function<void(Span &)> &price,
                                  const std::function<bool(qint64, qint64)> &progress)
{
    if (!isOpen()) {
        d->error = tr("No workspace is open.");
        return -1;
    }
    if (d->readOnly) {
        d->failWrite(tr("it was opened read-only"));
        return -1;
    }
    qint64 total = 0;
    {
        QSqlQuery q(d->db);
        if (!q.exec(latin(d->dialect->repriceCount)) || !q.next()) {
            d->failRead(Private::reasonFor(q.lastError()));
            return -1;
        }
        total = q.value(0).toLongLong();
    }
    QSqlQuery selectFirst(d->db), selectNext(d->db), update(d->db);
    selectFirst.setForwardOnly(true);
    selectNext.setForwardOnly(true);
    if (!selectFirst.prepare(latin(RepriceSelect).arg(QStringLiteral(">=")))
        || !selectNext.prepare(latin(RepriceSelect).arg(QStringLiteral(">")))
        || !update.prepare(QStringLiteral("UPDATE spans SET cost_usd = :c, cost_input_usd = :i, cost_output_usd = :o, "
                                          "cost_source = :s WHERE trace_id = :t AND span_id = :p"))) {
        d->failRead(Private::reasonFor(update.lastError()));
        return -1;
    }
    QString lastTrace, lastSpan;
    bool first = true, complete = false;
    qint64 done = 0, changed = 0;
    for (;;) {
        QSqlError err;
        if (!d->begin(&err)) {
            d->failWrite(Private::reasonFor(err));
            return -1;
        }
        auto failed = [&](const QSqlError &e) {
            d->rollback();
            d->clearReplacedLog();
            d->failWrite(Private::reasonFor(e));
            return qint64(-1);
        };
        QSqlQuery &select = first ? selectFirst : selectNext;
        select.bindValue(QStringLiteral(":t"), text(lastTrace));
        select.bindValue(QStringLiteral(":s"), text(lastSpan));
        select.bindValue(QStringLiteral(":n"), RepriceChunkRows);
        if (!select.exec())
            return failed(select.lastError());
        struct Change {
            QString traceId, spanId;
            Cost cost;
        };
        QList<Change> changes;
        QSet<QString> touched;
        qint64 rows = 0;
        while (select.next()) {
            ++rows;
            Span s;
            s.traceId = select.value(0).toString();
            s.spanId = select.value(1).toString();
            s.name = select.value(2).toString();
            const int kind = select.value(3).toInt();
            s.kind = kind >= 0 && kind < SpanKindCount ? SpanKind(kind) : SpanKind::Span;
            const QString model = select.value(4).toString();
            s.requestModel = select.value(5).toString();
            s.responseModel = model != s.requestModel ? model : QString();
            s.provider = select.value(6).toString();
            s.startNs = select.value(7).toLongLong();
            s.endNs = select.value(8).toLongLong();
            s.tokens.input = select.value(9).toLongLong();
            s.tokens.output = select.value(10).toLongLong();
            s.tokens.total = select.value(11).toLongLong();
            s.tokens.cachedInput = select.value(12).toLongLong();
            s.tokens.cacheCreation = select.value(13).toLongLong();
            s.tokens.reasoning = select.value(14).toLongLong();
            const int source = select.value(18).toInt();
            const Cost old{select.value(15).toDouble(), select.value(16).toDouble(), select.value(17).toDouble(),
                           source <= 2 ? CostSource(source) : CostSource::None};
            lastTrace = s.traceId;
            lastSpan = s.spanId;
            price(s);
            Cost now = s.cost;
            if (now.source == CostSource::Reported)
                now.source = CostSource::Computed;  // this pass only ever computes
            if (now.source == CostSource::None)
                now = Cost{};
            now.totalUsd = number(now.totalUsd);
            now.inputUsd = number(now.inputUsd);
            now.outputUsd = number(now.outputUsd);
            const Cost before = old.source == CostSource::None ? Cost{} : old;
            if (now != before) {
                changes.push_back({s.traceId, s.spanId, now});
                touched.insert(s.traceId);
            }
        }
        select.finish();
        first = false;
        for (const Change &c : std::as_const(changes)) {
            update.bindValue(QStringLiteral(":c"), c.cost.totalUsd);
            update.bindValue(QStringLiteral(":i"), c.cost.inputUsd);
            update.bindValue(QStringLiteral(":o"), c.cost.outputUsd);
            update.bindValue(QStringLiteral(":s"), int(c.cost.source));
            update.bindValue(QStringLiteral(":t"), text(c.traceId));
            update.bindValue(QStringLiteral(":p"), text(c.spanId));
            if (!d->run(update, &err))
                return failed(err);
        }
        if (!touched.isEmpty()) {
            if (!d->run(*d->clearTouched, &err))
                return failed(err);
            for (const QString &id : std::as_const(touched)) {
                d->insertTouched->bindValue(QStringLiteral(":t"), text(id));
                if (!d->run(*d->insertTouched, &err))
                    return failed(err);
            }
            if (!d->rollup(&err) || !d->rollupFacets(&err))
                return failed(err);
        }
        if (!d->commit(&err)) {
            d->clearReplacedLog();
            d->failWrite(Private::reasonFor(err));
            return -1;
        }
        // The temp trigger logged every update for writeSpans(), which has nothing to do with them.
        d->clearReplacedLog();
        changed += changes.size();
        done += rows;
        if (rows < RepriceChunkRows) {
            complete = true;
            break;
        }
        if (progress && !progress(std::min(done, total), total))
            break;
    }
    if (progress && complete)
        progress(total, total);
    d->error.clear();
    return changed;
}

} // namespace spanscope
