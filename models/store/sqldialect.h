#pragma once

#include "storelocation.h"

#include <QList>
#include <QString>
#include <QVariant>

// What differs between the store's two backends, SQLite (a workspace file) and PostgreSQL (the team
// store), as data: the schema migrations and the text of every statement that is not portable SQL.
// TraceStore's logic is the same for both; it branches on `backend` only where the databases
// behave differently (opening, bulk mode, how replaced spans are detected, full-text indexing).
// The SQLite table lives next to its statements in tracestore.cpp, the PostgreSQL one in
// sqldialect_pg.cpp with the schema in sql/pg/.

namespace spanscope {

struct SqlMigration {
    int version;
    const char *resource;
    bool rebuildRollups;  // the step added summary columns: recompute every trace
    // Run after `resource` when the workspace holds fewer than smallBelow span details: a step
    // that rewrites the big tables, worth it only while that takes a moment (null: none).
    const char *smallResource = nullptr;
    qint64 smallBelow = 0;
};

struct SqlDialect {
    StoreLocation::Backend backend;
    const char *driver;                // Qt SQL driver: QSQLITE, QPSQL
    QList<SqlMigration> migrations;    // in order
    const char *indexesResource;       // secondary indexes (ix_*), CREATE … IF NOT EXISTS
    QStringList beginWrite;            // starts a write transaction that serializes writers

    // writeSpans() and the rollups, for the traces in the temporary table `touched`
    const char *facetUpsert;
    const char *rollupDeleteFacets;
    const char *rollupInsertFacets;
    const char *rollupDeleteModels;
    const char *rollupInsertModels;
    const char *rollupDeleteServices;
    const char *rollupInsertServices;
    const char *rollupTraces;
    const char *createTemp[2];         // the temporary tables touched (and replaced, SQLite)
    const char *clearTouched;
    const char *insertTouched;         // :t
    const char *fillTouched;           // every trace (migrations that rebuild rollups)
    const char *clearReplaced;         // nullptr: no temp.replaced log (PostgreSQL uses RETURNING)
    const char *readReplaced;
    const char *upsertTraceModel;      // :t :m :u
    const char *insertTraceService;    // :t :s
    const char *readMeta;              // fts_watermark, max(details id)
    const char *addPending;            // :n; nullptr: the full-text index is always up to date
    const char *indexAbove;            // :w
    const char *setIndexed;            // :w
    const char *replaceStatePrefix;    // "INSERT OR REPLACE INTO traces (" or "INSERT INTO traces ("
    bool upsertConflictUpdate;         // append ON CONFLICT (trace_id) DO UPDATE to the traces row write
    const char *spanUpsertReturning;   // appended to the span upsert ("" for SQLite)
    bool detailTextAsUtf8;             // bind inputs and outputs as UTF-8 bytes stored by CAST(… AS TEXT)

    // reading
    const char *resolvePrefix;         // ids in [?, ? + U+10FFFF), LIMIT 2
    const char *counts;
    const char *modelCondition;        // a trace has a model, ASCII case-insensitive (one bind)
    QVariant noLimit;                  // bound to LIMIT for "all rows"
    const char *repriceCount;

    static const SqlDialect &sqlite();     // tracestore.cpp
    static const SqlDialect &postgres();   // sqldialect_pg.cpp
    static const SqlDialect &of(StoreLocation::Backend backend)
    {
        return backend == StoreLocation::Backend::Postgres ? postgres() : sqlite();
    }
};

namespace pg {
// PostgreSQL full-text search of what the user typed (FTS5-like syntax: words, "phrases", OR,
// NOT / -word, word* prefixes): an SQL tsquery expression whose values are appended to `binds`.
QString tsQuery(const QString &text, QVariantList *binds);
// An aggregate query written for SQLite (workspacestats.cpp) in PostgreSQL's dialect: index hints
// and unary + dropped, temp tables in pg_temp, truncating casts, named subqueries.
QString fromSqlite(const QString &sql);
// The key of the advisory lock that serializes writers (and migrations) on one database.
constexpr qint64 WriterLockKey = 0x53505343;  // "SPSC", as the SQLite application id
} // namespace pg

} // namespace spanscope
