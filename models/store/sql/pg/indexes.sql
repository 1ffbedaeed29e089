-- The secondary indexes of the PostgreSQL schema (see ../indexes.sql): beginBulk() drops every index
-- named ix_*; endBulk() and the first open run this file.
CREATE INDEX IF NOT EXISTS ix_traces_start           ON traces (start_ns);
CREATE INDEX IF NOT EXISTS ix_traces_duration        ON traces (duration_ns);
CREATE INDEX IF NOT EXISTS ix_traces_cost            ON traces (cost_usd);
CREATE INDEX IF NOT EXISTS ix_traces_errors          ON traces (error_count);
CREATE INDEX IF NOT EXISTS ix_traces_session         ON traces (session_id);
CREATE INDEX IF NOT EXISTS ix_traces_user            ON traces (user_id);
CREATE INDEX IF NOT EXISTS ix_traces_service         ON traces (service);
CREATE INDEX IF NOT EXISTS ix_trace_models_model     ON trace_models (lower(model));
CREATE INDEX IF NOT EXISTS ix_trace_services_service ON trace_services (service);
CREATE INDEX IF NOT EXISTS ix_trace_facets_name      ON trace_facets (name, trace_id);
CREATE INDEX IF NOT EXISTS ix_trace_facets_model     ON trace_facets (model, trace_id) WHERE model <> '';
CREATE INDEX IF NOT EXISTS ix_trace_facets_usage     ON trace_facets (trace_id, model)
    WHERE model <> '' OR priced_count > 0 OR input_tokens > 0 OR output_tokens > 0 OR cached_tokens > 0;
-- The expression as workspacestats.cpp writes it (the schema's max(bigint, bigint)).
CREATE INDEX IF NOT EXISTS ix_spans_latency          ON spans (model, max(end_ns - start_ns, 0))
    WHERE model <> '' AND end_ns > 0;
CREATE INDEX IF NOT EXISTS ix_span_details_fts       ON span_details USING gin (fts);
