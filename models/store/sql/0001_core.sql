-- Schema version 1: spans, their big text, and a per-trace summary.
-- Narrow span rows (what the tree and the waterfall need), clustered by trace so one trace's
-- spans are contiguous; the primary key is also the upsert key.
CREATE TABLE spans (
    trace_id              TEXT    NOT NULL,
    span_id               TEXT    NOT NULL,
    parent_id             TEXT    NOT NULL DEFAULT '',
    name                  TEXT    NOT NULL DEFAULT '',
    kind                  INTEGER NOT NULL DEFAULT 0,
    otel_kind             INTEGER NOT NULL DEFAULT 0,
    service               TEXT    NOT NULL DEFAULT '',
    start_ns              INTEGER NOT NULL DEFAULT 0,
    end_ns                INTEGER NOT NULL DEFAULT 0,
    status                INTEGER NOT NULL DEFAULT 0,
    status_message        TEXT    NOT NULL DEFAULT '',
    model                 TEXT    NOT NULL DEFAULT '',   -- response model, else request model
    request_model         TEXT    NOT NULL DEFAULT '',
    provider              TEXT    NOT NULL DEFAULT '',
    input_tokens          INTEGER NOT NULL DEFAULT -1,
    output_tokens         INTEGER NOT NULL DEFAULT -1,
    total_tokens          INTEGER NOT NULL DEFAULT -1,
    cached_tokens         INTEGER NOT NULL DEFAULT -1,
    cache_creation_tokens INTEGER NOT NULL DEFAULT -1,
    reasoning_tokens      INTEGER NOT NULL DEFAULT -1,
    cost_usd              REAL    NOT NULL DEFAULT 0,
    cost_input_usd        REAL    NOT NULL DEFAULT 0,
    cost_output_usd       REAL    NOT NULL DEFAULT 0,
    cost_source           INTEGER NOT NULL DEFAULT 0,
    session_id            TEXT    NOT NULL DEFAULT '',
    user_id               TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (trace_id, span_id)
) WITHOUT ROWID;

-- Inputs, outputs and everything else of a span, loaded on demand. `extra` is a CBOR document
-- (see detailcodec.h); extra_format 1 means it is zlib-compressed.
CREATE TABLE span_details (
    id           INTEGER PRIMARY KEY,
    trace_id     TEXT    NOT NULL,
    span_id      TEXT    NOT NULL,
    input        TEXT    NOT NULL DEFAULT '',
    input_mime   TEXT    NOT NULL DEFAULT '',
    output       TEXT    NOT NULL DEFAULT '',
    output_mime  TEXT    NOT NULL DEFAULT '',
    extra        BLOB,
    extra_format INTEGER NOT NULL DEFAULT 0,
    UNIQUE (trace_id, span_id)
);

CREATE TABLE traces (
    trace_id      TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL DEFAULT '',
    service       TEXT    NOT NULL DEFAULT '',
    start_ns      INTEGER NOT NULL DEFAULT 0,
    end_ns        INTEGER NOT NULL DEFAULT 0,
    span_count    INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens  INTEGER NOT NULL DEFAULT 0,
    cost_usd      REAL    NOT NULL DEFAULT 0,
    session_id    TEXT    NOT NULL DEFAULT '',
    user_id       TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE INDEX ix_traces_start ON traces (start_ns);
