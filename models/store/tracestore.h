#pragma once

#include "trace/trace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QSqlDatabase;

namespace spanscope {

struct EncodedDetail;  // detailcodec.h

// Filters, sort and paging of the trace list (CLI `traces`, the explorer's trace list).
struct TraceQuery {
    QString search;               // full-text over span names, inputs and outputs (FTS5 syntax allowed)
    QString model;                // traces having a span with this model (exact, ASCII case-insensitive)
    QString service;              // traces having a span of this service
    QString sessionId;
    QString userId;
    enum class Status { Any, Ok, Error } status = Status::Any;  // Error = has an error span
    qint64 sinceNs = 0;           // trace start >= sinceNs (0 = open)
    qint64 untilNs = 0;           // trace start <  untilNs (0 = open)
    qint64 minDurationNs = 0;
    double minCostUsd = 0;
    // Drill-downs from the dashboard (the filter bar does not set these).
    QString spanName;             // traces having a span with exactly this name
    qint64 maxDurationNs = 0;     // trace duration <  maxDurationNs (0 = open)
    double maxCostUsd = 0;        // trace cost      <  maxCostUsd (0 = open)
    enum class Sort { Start, Duration, Name, Spans, Errors, InputTokens, OutputTokens, Cost, Session, User, Service, Models };
    Sort sort = Sort::Start;
    bool descending = true;
    int limit = 100;              // <= 0: no limit
    int offset = 0;
};

struct SearchHit {
    QString traceId;
    QString spanId;
    QString spanName;
    QString snippet;              // a short excerpt around the match (plain text, "…" where cut)
};

struct WorkspaceCounts {
    qint64 traces = 0;
    qint64 spans = 0;
    qint64 pendingFullText = 0;   // spans not yet in the full-text index
};

// The workspace: one SQLite file (WAL), or a PostgreSQL database shared by a team (open() with a
// postgresql:// URL; see storelocation.h and sqldialect.h). An instance owns one Qt SQL connection
// and must be used on the thread that opened it; open one instance per thread (a writer and any
// number of readers). Methods never throw; failures return false / empty and set lastError().
class TraceStore
{
public:
    TraceStore();
    ~TraceStore();
    TraceStore(const TraceStore &) = delete;
    TraceStore &operator=(const TraceStore &) = delete;

    // <AppDataLocation>/workspace.sqlite
    static QString defaultPath();

    // Marks a workspace file (PRAGMA application_id); a file without it is never opened.
    static constexpr qint32 ApplicationId = 0x53505343;  // "SPSC"

    enum class OpenMode {
        ReadWrite,  // creates the file if needed and migrates it to the current schema
        ReadOnly,   // never writes (a workspace that still needs a migration is refused)
    };

    // Opens or creates the workspace and migrates it to the current schema. A file that is not a
    // Spanscope workspace (or not SQLite at all) is refused and left untouched. A workspace file
    // the user may not write to is opened read-only.
    // `path` may be a postgresql://user[:password]@host[:port]/database[?schema=NAME] URL: the same
    // tables in PostgreSQL (QPSQL driver). A database (or schema) that is empty becomes a store; one
    // with other tables is refused. The password comes from the URL, setPassword(), $PGPASSWORD or
    // ~/.pgpass, and is never part of path().
    bool open(const QString &path);
    bool open(const QString &path, OpenMode mode);
    void close();
    bool isOpen() const;
    // The file, or the store's URL without its password.
    QString path() const;
    bool isPostgres() const;
    // The password for a PostgreSQL store URL (as path() gives it) for this process, e.g. read from
    // the system keychain; every later open() of the URL uses it. Kept in memory only. An open() of
    // a URL with a password also remembers it this way.
    static void setPassword(const QString &url, const QString &password);
    QString lastError() const;
    static int currentSchemaVersion();
    int schemaVersion() const;
    bool isReadOnly() const;
    // Caps the workspace file (SQLite max_page_count, for this connection): a write that would
    // grow it further fails like a full disk. <= 0 lifts the cap. Returns false when not open or
    // on PostgreSQL.
    bool setMaximumSize(qint64 bytes);

    // --- writing -------------------------------------------------------------------------------
    // Upserts spans (key: trace id + span id; a later copy replaces an earlier one unless it is
    // less complete: an unfinished copy never replaces a finished one) in one transaction and
    // brings the rollups of every touched trace up to date in the same transaction.
    bool writeSpans(const SpanList &spans);
    // Same, with each span's detail document already encoded (`details[i]` is
    // EncodedDetail::of(spans[i])), e.g. on another thread while the previous batch was
    // being written (the import pipeline does).
    bool writeSpans(const SpanList &spans, const QList<EncodedDetail> &details);
    // Bulk loading: defer secondary indexes and full-text indexing until endBulk(). (PostgreSQL keeps
    // its indexes and indexes text as it is written: nothing is ever pending there.)
    // Outside bulk mode writeSpans() indexes its own spans for full-text search as long as the
    // index has no larger backlog (e.g. left by a bulk import); otherwise they wait for
    // indexFullText() like bulk-loaded spans do. close() ends a bulk session still open; one left
    // by a crashed process is ended by the next open() for writing.
    bool beginBulk();
    bool endBulk();
    bool isBulk() const;
    // While set, writeSpans() leaves its spans to indexFullText() even outside bulk mode (they count
    // in pendingFullText): the live writer sets it while more spans wait behind the ones it writes.
    void setFullTextDeferred(bool deferred);
    bool isFullTextDeferred() const;
    // Whether this connection reads the file through a memory map (on by default, see open();
    // SQLite only). A long-running writer turns it off: the pages it reads back (the full-text
    // catch-up reads the text of every new span) would stay mapped and count as resident memory.
    void setMemoryMapped(bool mapped);
    // Indexes up to `maxRows` spans still missing from the full-text index (all when < 0), in
    // transactions of a few thousand spans so other connections can write in between.
    // Returns the number indexed, or -1 on error.
    qint64 indexFullText(qint64 maxRows = -1);

    // --- reading -------------------------------------------------------------------------------
    // Summaries equal summarize() over the trace's spans (costs up to floating-point rounding).
    // Text keys sort by code point; ties are broken by trace id in the same direction.
    QList<TraceSummary> listTraces(const TraceQuery &query) const;
    qint64 countTraces(const TraceQuery &query) const;
    std::optional<TraceSummary> traceSummary(const QString &traceId) const;
    // The trace id equal to `prefix`, else the only one starting with it (tried as typed, then in
    // lower case; CLI convenience), or empty.
    QString resolveTraceId(const QString &prefix) const;
    // All spans of a trace, by start time then span id. Without details only what the tree and
    // waterfall need is loaded (ids, name, kind, service, times, status, models, provider, tokens,
    // cost, session, user); with details every field.
    // AsStored skips the sort (the order is then unspecified): for callers that sort themselves.
    enum class SpanOrder { ByStart, AsStored };
    SpanList loadSpans(const QString &traceId, bool withDetails, SpanOrder order = SpanOrder::ByStart) const;
    // The trace with its tree: Trace(loadSpans(…)) without sorting the spans twice (Trace puts them
    // in tree order itself).
    Trace loadTrace(const QString &traceId, bool withDetails) const;
    // Fills the detail fields of one span loaded without them.
    bool loadSpanDetails(Span &span) const;
    // Spans whose name, input or output match (FTS5 syntax; text that is not valid FTS5 syntax
    // is searched as a phrase), in the order they were stored; limit <= 0: all. Spans not yet in
    // the full-text index are not found.
    QList<SearchHit> search(const QString &text, int limit = 100) const;
    WorkspaceCounts counts() const;
    // For filter drop-downs: "model", "service", "session" or "user", sorted case-insensitively.
    QStringList distinctValues(const QString &field) const;

    // --- for aggregate queries kept in their own files (workspacestats.cpp) ----------------------
    // This instance's connection (same thread rules as the store) and the WHERE clause (" WHERE …"
    // or empty) that `query`'s filters give over `traces t`, with its values to bind in order. A
    // full-text search in the clause may read temporary tables of this connection filled for it:
    // run it before this store runs a query with another search text.
    QSqlDatabase database() const;
    QString traceFilterSql(const TraceQuery &query, QVariantList *binds) const;

    // --- prices ----------------------------------------------------------------------------------
    // Re-applies prices to every span with a model whose cost its producer did not report (computed
    // or missing): `price` gets the span's narrow fields (ids, name, kind, models, provider, start,
    // tokens) with the cost cleared, and sets span.cost (left unknown: no price). Changed costs are
    // written together with the rollups of their traces (traces, trace_models, trace_facets) in
    // transactions of a few thousand spans; reported costs and span details are never touched.
    // `progress(done, total)` (spans looked at) may return false to stop; what was written stays.
    // Returns the number of spans whose cost changed, or -1 on error.
    qint64 recomputeCosts(const std::function<void(Span &)> &price,
                          const std::function<bool(qint64 done, qint64 total)> &progress = {});

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace spanscope
