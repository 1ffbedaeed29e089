-- Schema version 5: a span row names its details row (spans.detail_id = span_details.id). Readers
-- go spans -> detail_id -> span_details and the triggers delete by id, so span_details needs no
-- (trace_id, span_id) index. That index was the one structure an import wrote at random places
-- (trace ids are random), page after page into the write-ahead log. A workspace of fewer than
-- 100,000 spans also gets span_details rebuilt without it (0005_unindexed_details.sql); a bigger
-- one keeps it (its writes keep their old speed) rather than spend a minute at open.
ALTER TABLE spans ADD COLUMN detail_id INTEGER NOT NULL DEFAULT 0;
UPDATE spans
   SET detail_id = ifnull((SELECT d.id FROM span_details d
                            WHERE d.trace_id = spans.trace_id AND d.span_id = spans.span_id), 0);

-- As in 0003, by id.
DROP TRIGGER spans_replaced;
CREATE TRIGGER spans_replaced AFTER UPDATE OF trace_id, span_id, parent_id, name, kind, otel_kind, service,
    start_ns, end_ns, status, status_message, model, request_model, provider, input_tokens, output_tokens,
    total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, session_id, user_id ON spans BEGIN
    DELETE FROM span_details WHERE id = old.detail_id;
END;
DROP TRIGGER spans_deleted;
CREATE TRIGGER spans_deleted AFTER DELETE ON spans BEGIN
    DELETE FROM span_details WHERE id = old.detail_id;
END;

-- The details ids of a trace's spans without reading the span rows: a broad full-text search probes
-- each trace's ids against its matches (TraceQuery::search).
CREATE INDEX ix_spans_details ON spans (trace_id, detail_id);
