-- Part of schema version 5, for a workspace of fewer than 100,000 spans (every new one): span_details
-- again without its UNIQUE (trace_id, span_id) constraint, which SQLite cannot drop in place. The
-- trigger on the table goes with it and comes back as in 0002. The triggers on spans keep naming
-- span_details: the legacy rename leaves them alone instead of refusing while the name is missing
-- (SQLite's "making other kinds of table schema changes" procedure).
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
PRAGMA legacy_alter_table = ON;
ALTER TABLE span_details_v5 RENAME TO span_details;
PRAGMA legacy_alter_table = OFF;
CREATE TRIGGER span_details_deleted AFTER DELETE ON span_details BEGIN
    INSERT INTO span_fts (span_fts, rowid, name, input, output)
        SELECT 'delete', old.id, old.name, old.input, old.output
          FROM meta WHERE id = 1 AND old.id <= fts_watermark;
    UPDATE meta SET fts_pending = fts_pending - 1 WHERE id = 1 AND old.id > fts_watermark;
END;
