-- The secondary indexes of the current schema. beginBulk() drops every index named ix_*; endBulk()
-- runs this file. A migration that adds or removes an ix_ index updates this file too.
CREATE INDEX IF NOT EXISTS ix_traces_start           ON traces (start_ns);
CREATE INDEX IF NOT EXISTS ix_traces_duration        ON traces (duration_ns);
CREATE INDEX IF NOT EXISTS ix_traces_cost            ON traces (cost_usd);
CREATE INDEX IF NOT EXISTS ix_traces_errors          ON traces (error_count);
CREATE INDEX IF NOT EXISTS ix_traces_session         ON traces (session_id);
CREATE INDEX IF NOT EXISTS ix_traces_user            ON traces (user_id);
CREATE INDEX IF NOT EXISTS ix_traces_service         ON traces (service);
CREATE INDEX IF NOT EXISTS ix_trace_models_model     ON trace_models (model COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS ix_trace_services_service ON trace_services (service);
CREATE INDEX IF NOT EXISTS ix_trace_facets_name      ON trace_facets (name, trace_id, span_count, error_count,
    ended_count, duration_ns, max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd,
    priced_count, unpriced_count);
CREATE INDEX IF NOT EXISTS ix_trace_facets_model     ON trace_facets (model, trace_id, span_count, error_count,
    ended_count, duration_ns, max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd,
    priced_count, unpriced_count) WHERE model <> '';
CREATE INDEX IF NOT EXISTS ix_trace_facets_usage     ON trace_facets (trace_id, model, span_count, cost_usd,
    priced_count, unpriced_count, input_tokens, output_tokens, cached_tokens)
    WHERE model <> '' OR priced_count > 0 OR input_tokens > 0 OR output_tokens > 0 OR cached_tokens > 0;
CREATE INDEX IF NOT EXISTS ix_spans_latency          ON spans (model, max(end_ns - start_ns, 0), trace_id, start_ns, end_ns)
    WHERE model <> '' AND end_ns > 0;
CREATE INDEX IF NOT EXISTS ix_spans_details          ON spans (trace_id, detail_id);
