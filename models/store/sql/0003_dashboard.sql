-- Schema version 3: what the dashboard and `spanscope stats` aggregate without reading every span,
-- and span costs that can be recomputed in place.

-- One row per (trace, kind, name, model) with the counts, time, tokens and cost of the trace's spans
-- of that kind, name and model ('' when the span has none). writeSpans() keeps it in step with the
-- spans in the same transaction as the traces row: the rows of a trace always add up to its spans
-- (rules as in the traces rollup: a cost counts when cost_source <> 0; a span is unpriced when it has
-- a model and token counts but no cost).
CREATE TABLE trace_facets (
    trace_id          TEXT    NOT NULL,
    kind              INTEGER NOT NULL,
    name              TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    span_count        INTEGER NOT NULL DEFAULT 0,
    error_count       INTEGER NOT NULL DEFAULT 0,
    ended_count       INTEGER NOT NULL DEFAULT 0,   -- spans with an end time
    duration_ns       INTEGER NOT NULL DEFAULT 0,   -- sum of max(end - start, 0) over ended spans
    max_duration_ns   INTEGER NOT NULL DEFAULT 0,
    input_tokens      INTEGER NOT NULL DEFAULT 0,   -- sums of max(count, 0)
    output_tokens     INTEGER NOT NULL DEFAULT 0,
    cached_tokens     INTEGER NOT NULL DEFAULT 0,
    cost_usd          REAL    NOT NULL DEFAULT 0,   -- reported + computed
    computed_cost_usd REAL    NOT NULL DEFAULT 0,
    priced_count      INTEGER NOT NULL DEFAULT 0,   -- spans with a cost
    unpriced_count    INTEGER NOT NULL DEFAULT 0,   -- spans whose price is missing
    PRIMARY KEY (trace_id, kind, name, model)
) WITHOUT ROWID;

INSERT INTO trace_facets (trace_id, kind, name, model, span_count, error_count, ended_count, duration_ns,
                          max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd,
                          priced_count, unpriced_count)
SELECT trace_id, kind, name, model, count(*), sum(status = 2), sum(end_ns > 0),
       sum(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END),
       max(CASE WHEN end_ns > start_ns THEN end_ns - start_ns ELSE 0 END),
       sum(max(input_tokens, 0)), sum(max(output_tokens, 0)), sum(max(cached_tokens, 0)),
       total(CASE WHEN cost_source <> 0 THEN cost_usd END), total(CASE WHEN cost_source = 2 THEN cost_usd END),
       sum(cost_source <> 0),
       sum(model <> '' AND cost_source = 0 AND (input_tokens >= 0 OR output_tokens >= 0 OR total_tokens >= 0
           OR cached_tokens >= 0 OR cache_creation_tokens >= 0 OR reasoning_tokens >= 0))
  FROM spans GROUP BY trace_id, kind, name, model;

-- Grouped by span name or model without sorting (top N, `stats --by`), and traces by span name
-- (TraceQuery::spanName); covering, so a scan never visits the table.
CREATE INDEX ix_trace_facets_name ON trace_facets (name, trace_id, span_count, error_count, ended_count, duration_ns,
    max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, unpriced_count);
CREATE INDEX ix_trace_facets_model ON trace_facets (model, trace_id, span_count, error_count, ended_count, duration_ns,
    max_duration_ns, input_tokens, output_tokens, cached_tokens, cost_usd, computed_cost_usd, priced_count, unpriced_count)
    WHERE model <> '';
-- The few facets that carry a model, tokens or a cost, by trace: the charts over time and the
-- per-trace token and price-missing sums read these instead of every facet of a trace.
CREATE INDEX ix_trace_facets_usage ON trace_facets (trace_id, model, span_count, cost_usd, priced_count, unpriced_count,
    input_tokens, output_tokens, cached_tokens)
    WHERE model <> '' OR priced_count > 0 OR input_tokens > 0 OR output_tokens > 0 OR cached_tokens > 0;
-- Latency of model calls in order, per model: percentiles and histograms walk it instead of sorting.
-- Covering (trace_id, start_ns, end_ns are in it); queries must repeat the expression and the WHERE.
CREATE INDEX ix_spans_latency ON spans (model, max(end_ns - start_ns, 0), trace_id, start_ns, end_ns)
    WHERE model <> '' AND end_ns > 0;

-- Recomputing prices updates the cost columns in place: the details of a span are dropped only when
-- a newer copy of the span replaces it (the upsert sets every other column).
DROP TRIGGER spans_replaced;
CREATE TRIGGER spans_replaced AFTER UPDATE OF trace_id, span_id, parent_id, name, kind, otel_kind, service,
    start_ns, end_ns, status, status_message, model, request_model, provider, input_tokens, output_tokens,
    total_tokens, cached_tokens, cache_creation_tokens, reasoning_tokens, session_id, user_id ON spans BEGIN
    DELETE FROM span_details WHERE trace_id = old.trace_id AND span_id = old.span_id;
END;
