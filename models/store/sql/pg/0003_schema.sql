-- PostgreSQL team store: schema version 3 in one step (the SQLite migrations 0001-0003 give the same
-- tables). Differences from SQLite, all invisible to the store's API:
--  * text columns use COLLATE "C" so keys compare and sort by code point as in SQLite, whatever the
--    database's locale (and prefix ranges on trace_id use the primary key);
--  * the full-text index is a stored tsvector column with a GIN index (instead of FTS5), so spans are
--    searchable as soon as their transaction commits (meta.fts_pending stays 0); the 'simple'
--    configuration (no stemming, no stop words) is close to FTS5's unicode61 tokenizer. Only the first
--    150,000 characters of an input or output are indexed (a tsvector holds at most 1 MB);
--  * spanscope_schema holds what SQLite keeps in PRAGMA application_id and user_version (the store
--    writes its one row after the migrations).

-- SQLite's functions that the aggregate queries (workspacestats.cpp) use, so one SQL text serves
-- both backends: ifnull(), total(), sum() of a condition, and the two-argument (scalar) max()/min().
CREATE FUNCTION ifnull(anycompatible, anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT coalesce($1, $2)';
CREATE FUNCTION max(bigint, bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT greatest($1, $2)';
CREATE FUNCTION min(bigint, bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT least($1, $2)';
CREATE FUNCTION spanscope_count_true(bigint, boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END';
CREATE AGGREGATE sum(boolean) (SFUNC = spanscope_count_true, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE total(double precision) (SFUNC = float8pl, STYPE = double precision, INITCOND = '0');

CREATE TABLE spanscope_schema (
    application_id INTEGER NOT NULL,
    version        INTEGER NOT NULL
);

CREATE TABLE spans (
    trace_id              TEXT COLLATE "C" NOT NULL,
    span_id               TEXT COLLATE "C" NOT NULL,
    parent_id             TEXT COLLATE "C" NOT NULL DEFAULT '',
    name                  TEXT COLLATE "C" NOT NULL DEFAULT '',
    kind                  INTEGER NOT NULL DEFAULT 0,
    otel_kind             INTEGER NOT NULL DEFAULT 0,
    service               TEXT COLLATE "C" NOT NULL DEFAULT '',
    start_ns              BIGINT  NOT NULL DEFAULT 0,
    end_ns                BIGINT  NOT NULL DEFAULT 0,
    status                INTEGER NOT NULL DEFAULT 0,
    status_message        TEXT COLLATE "C" NOT NULL DEFAULT '',
    model                 TEXT COLLATE "C" NOT NULL DEFAULT '',
    request_model         TEXT COLLATE "C" NOT NULL DEFAULT '',
    provider              TEXT COLLATE "C" NOT NULL DEFAULT '',
    input_tokens          BIGINT  NOT NULL DEFAULT -1,
    output_tokens         BIGINT  NOT NULL DEFAULT -1,
    total_tokens          BIGINT  NOT NULL DEFAULT -1,
    cached_tokens         BIGINT  NOT NULL DEFAULT -1,
    cache_creation_tokens BIGINT  NOT NULL DEFAULT -1,
    reasoning_tokens      BIGINT  NOT NULL DEFAULT -1,
    cost_usd              DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_input_usd        DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_output_usd       DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_source           INTEGER NOT NULL DEFAULT 0,
    session_id            TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_id               TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (trace_id, span_id)
);

CREATE TABLE span_details (
    id           BIGINT  PRIMARY KEY,
    trace_id     TEXT COLLATE "C" NOT NULL,
    span_id      TEXT COLLATE "C" NOT NULL,
    input        TEXT    NOT NULL DEFAULT '',
    input_mime   TEXT    NOT NULL DEFAULT '',
    output       TEXT    NOT NULL DEFAULT '',
    output_mime  TEXT    NOT NULL DEFAULT '',
    extra        BYTEA,
    extra_format INTEGER NOT NULL DEFAULT 0,
    name         TEXT    NOT NULL DEFAULT '',
    fts          TSVECTOR GENERATED ALWAYS AS (
                     to_tsvector('simple'::regconfig, left(name, 2000) || ' ' || left(input, 150000) || ' '
                                 || left(output, 150000))) STORED,
    UNIQUE (trace_id, span_id)
);

CREATE TABLE traces (
    trace_id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name              TEXT COLLATE "C" NOT NULL DEFAULT '',
    service           TEXT COLLATE "C" NOT NULL DEFAULT '',
    start_ns          BIGINT  NOT NULL DEFAULT 0,
    end_ns            BIGINT  NOT NULL DEFAULT 0,
    span_count        BIGINT  NOT NULL DEFAULT 0,
    error_count       BIGINT  NOT NULL DEFAULT 0,
    input_tokens      BIGINT  NOT NULL DEFAULT 0,
    output_tokens     BIGINT  NOT NULL DEFAULT 0,
    total_tokens      BIGINT  NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
    session_id        TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_id           TEXT COLLATE "C" NOT NULL DEFAULT '',
    duration_ns       BIGINT  NOT NULL DEFAULT 0,
    llm_count         BIGINT  NOT NULL DEFAULT 0,
    tool_count        BIGINT  NOT NULL DEFAULT 0,
    computed_cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    priced_span_count BIGINT  NOT NULL DEFAULT 0,
    models            TEXT COLLATE "C" NOT NULL DEFAULT '',
    unpriced_models   TEXT COLLATE "C" NOT NULL DEFAULT '',
    services          TEXT COLLATE "C" NOT NULL DEFAULT '',
    root_span_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    root_start_ns     BIGINT  NOT NULL DEFAULT 0,
    root_is_root      INTEGER NOT NULL DEFAULT 0,
    session_span_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
    session_start_ns  BIGINT  NOT NULL DEFAULT 0,
    user_span_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_start_ns     BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE trace_models (
    trace_id TEXT COLLATE "C" NOT NULL,
    model    TEXT COLLATE "C" NOT NULL,
    unpriced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (trace_id, model)
);

CREATE TABLE trace_services (
    trace_id TEXT COLLATE "C" NOT NULL,
    service  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (trace_id, service)
);

CREATE TABLE meta (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    fts_watermark BIGINT NOT NULL DEFAULT 0,
    fts_pending   BIGINT NOT NULL DEFAULT 0,
    bulk_pid      BIGINT NOT NULL DEFAULT 0
);
INSERT INTO meta (id, fts_watermark, fts_pending) VALUES (1, 0, 0);

CREATE TABLE trace_facets (
    trace_id          TEXT COLLATE "C" NOT NULL,
    kind              INTEGER NOT NULL,
    name              TEXT COLLATE "C" NOT NULL,
    model             TEXT COLLATE "C" NOT NULL,
    span_count        BIGINT  NOT NULL DEFAULT 0,
    error_count       BIGINT  NOT NULL DEFAULT 0,
    ended_count       BIGINT  NOT NULL DEFAULT 0,
    duration_ns       BIGINT  NOT NULL DEFAULT 0,
    max_duration_ns   BIGINT  NOT NULL DEFAULT 0,
    input_tokens      BIGINT  NOT NULL DEFAULT 0,
    output_tokens     BIGINT  NOT NULL DEFAULT 0,
    cached_tokens     BIGINT  NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
    computed_cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    priced_count      BIGINT  NOT NULL DEFAULT 0,
    unpriced_count    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (trace_id, kind, name, model)
);

-- A replaced span loses its details row (the new copy gets a fresh one); recomputing prices updates
-- only the cost columns and keeps it. Deleting a span deletes its details.
CREATE FUNCTION spanscope_drop_details() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM span_details WHERE trace_id = OLD.trace_id AND span_id = OLD.span_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER spans_replaced AFTER UPDATE OF trace_id, span_id, parent_id, name, kind, otel_kind, service,
    start_ns, end_ns, status, status_message, model, request_model, provider, input_tokens, output_tokens,
    total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, session_id, user_id ON spans
    FOR EACH ROW EXECUTE FUNCTION spanscope_drop_details();
CREATE TRIGGER spans_deleted AFTER DELETE ON spans FOR EACH ROW EXECUTE FUNCTION spanscope_drop_details();
