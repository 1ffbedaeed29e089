-- Schema version 5: a span row names its details row (spans.detail_id = span_details.id), so
-- span_details needs no (trace_id, span_id) index. That index was the one structure every import
-- wrote at random places (trace ids are random), page after page into the write-ahead log; without
-- it span_details only grows at its end. Readers go spans -> detail_id -> span_details, the
-- triggers delete by id.
ALTER TABLE spans ADD COLUMN detail_id INTEGER NOT NULL DEFAULT 0;
UPDATE spans
   SET detail_id = ifnull((SELECT d.id FROM span_details d
                            WHERE d.trace_id = spans.trace_id AND d.span_id = spans.span_id), 0);

-- span_details again without its UNIQUE (trace_id, span_id) constraint (SQLite cannot drop one in
-- place). The triggers that name it go first, or renaming the copy fails on them.
DROP TRIGGER spans_replaced;
DROP TRIGGER spans_deleted;
DROP TRIGGER span_details_deleted;
CREATE TABLE span_details_v5 (
    id           INTEGER PRIMARY KEY,
    trace_id     TEXT    NOT NULL,
    span_id      TEXT    NOT NULL,
    input        TEXT    NOT NULL DEFAULT '',
    input_mime   TEXT    NOT NULL DEFAULT '',
    output       TEXT    NOT NULL DEFAULT '',
    output_mime  TEXT    NOT NULL DEFAULT '',
    extra        BLOB,
    extra_format INTEGER NOT NULL DEFAULT 0,
    name         TEXT    NOT NULL DEFAULT ''
);
INSERT INTO span_details_v5 (id, trace_id, span_id, input, input_mime, output, output_mime, extra, extra_format, name)
SELECT id, trace_id, span_id, input, input_mime, output, output_mime, extra, extra_format, name FROM span_details;
DROP TABLE span_details;
ALTER TABLE span_details_v5 RENAME TO span_details;

-- As in 0002/0003, by id. A details row no span names (see writeSpans()) is deleted the same way.
CREATE TRIGGER spans_replaced AFTER UPDATE OF trace_id, span_id, parent_id, name, kind, otel_kind, service,
    start_ns, end_ns, status, status_message, model, request_model, provider, input_tokens, output_tokens,
    total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, session_id, user_id ON spans BEGIN
    DELETE FROM span_details WHERE id = old.detail_id;
END;
CREATE TRIGGER spans_deleted AFTER DELETE ON spans BEGIN
    DELETE FROM span_details WHERE id = old.detail_id;
END;
CREATE TRIGGER span_details_deleted AFTER DELETE ON span_details BEGIN
    INSERT INTO span_fts (span_fts, rowid, name, input, output)
        SELECT 'delete', old.id, old.name, old.input, old.output
          FROM meta WHERE id = 1 AND old.id <= fts_watermark;
    UPDATE meta SET fts_pending = fts_pending - 1 WHERE id = 1 AND old.id > fts_watermark;
END;
