-- Schema version 2: full-text index over span names, inputs and outputs; the summary columns and
-- side tables the trace list filters and sorts on. The rollups of existing traces are recomputed
-- by the store right after this script, in the same transaction.

-- The indexed text must live in the FTS content table, so the name is copied next to input/output.
ALTER TABLE span_details ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE span_details
   SET name = ifnull((SELECT s.name FROM spans s
                       WHERE s.trace_id = span_details.trace_id AND s.span_id = span_details.span_id), '');

ALTER TABLE traces ADD COLUMN duration_ns       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN llm_count         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN tool_count        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN computed_cost_usd REAL    NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN priced_span_count INTEGER NOT NULL DEFAULT 0;
-- Lists are joined with U+001F (unit separator), in code point order.
ALTER TABLE traces ADD COLUMN models            TEXT    NOT NULL DEFAULT '';
ALTER TABLE traces ADD COLUMN unpriced_models   TEXT    NOT NULL DEFAULT '';
ALTER TABLE traces ADD COLUMN services          TEXT    NOT NULL DEFAULT '';
-- Which spans the name/service, session and user came from, so spans appended to a trace can be
-- merged into its row without reading the trace's other spans again.
ALTER TABLE traces ADD COLUMN root_span_id      TEXT    NOT NULL DEFAULT '';
ALTER TABLE traces ADD COLUMN root_start_ns     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN root_is_root      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN session_span_id   TEXT    NOT NULL DEFAULT '';
ALTER TABLE traces ADD COLUMN session_start_ns  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN user_span_id      TEXT    NOT NULL DEFAULT '';
ALTER TABLE traces ADD COLUMN user_start_ns     INTEGER NOT NULL DEFAULT 0;

-- One row per (trace, model) and (trace, service): filtering by either is an index lookup, not a
-- LIKE over a joined string.
CREATE TABLE trace_models (
    trace_id TEXT    NOT NULL,
    model    TEXT    NOT NULL,
    unpriced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (trace_id, model)
) WITHOUT ROWID;

CREATE TABLE trace_services (
    trace_id TEXT NOT NULL,
    service  TEXT NOT NULL,
    PRIMARY KEY (trace_id, service)
) WITHOUT ROWID;

-- span_details rows with id <= fts_watermark are in span_fts; fts_pending counts those above it.
-- bulk_pid: the process that deferred the secondary indexes (0 = none).
CREATE TABLE meta (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    fts_watermark INTEGER NOT NULL DEFAULT 0,
    fts_pending   INTEGER NOT NULL DEFAULT 0,
    bulk_pid      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO meta (id, fts_watermark, fts_pending) SELECT 1, 0, count(*) FROM span_details;

CREATE VIRTUAL TABLE span_fts USING fts5 (
    name, input, output,
    content = 'span_details', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- A replaced span loses its details row (the new copy gets a fresh one, above the watermark).
CREATE TRIGGER spans_replaced AFTER UPDATE ON spans BEGIN
    DELETE FROM span_details WHERE trace_id = old.trace_id AND span_id = old.span_id;
END;
CREATE TRIGGER spans_deleted AFTER DELETE ON spans BEGIN
    DELETE FROM span_details WHERE trace_id = old.trace_id AND span_id = old.span_id;
END;
-- Details rows are never updated in place, so the values removed here are exactly the ones that
-- were indexed (what an external-content FTS5 'delete' requires).
CREATE TRIGGER span_details_deleted AFTER DELETE ON span_details BEGIN
    INSERT INTO span_fts (span_fts, rowid, name, input, output)
        SELECT 'delete', old.id, old.name, old.input, old.output
          FROM meta WHERE id = 1 AND old.id <= fts_watermark;
    UPDATE meta SET fts_pending = fts_pending - 1 WHERE id = 1 AND old.id > fts_watermark;
END;

CREATE INDEX ix_traces_duration       ON traces (duration_ns);
CREATE INDEX ix_traces_cost           ON traces (cost_usd);
CREATE INDEX ix_traces_errors         ON traces (error_count);
CREATE INDEX ix_traces_session        ON traces (session_id);
CREATE INDEX ix_traces_user           ON traces (user_id);
CREATE INDEX ix_traces_service        ON traces (service);
CREATE INDEX ix_trace_models_model    ON trace_models (model COLLATE NOCASE);
CREATE INDEX ix_trace_services_service ON trace_services (service);
