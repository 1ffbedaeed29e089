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
