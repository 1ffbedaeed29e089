-- Schema version 5: a span row names its details row (spans.detail_id = span_details.id); readers
-- go spans -> detail_id -> span_details. SQLite's span_details loses its (trace_id, span_id) index
-- in this version; here the unique constraint stays (the triggers and concurrent writers use it).
ALTER TABLE spans ADD COLUMN detail_id BIGINT NOT NULL DEFAULT 0;
UPDATE spans s SET detail_id = d.id FROM span_details d WHERE d.trace_id = s.trace_id AND d.span_id = s.span_id;
