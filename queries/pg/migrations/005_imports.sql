-- PostgreSQL dialect of queries/migrations/005_imports.sql (same number, same tables).
-- Imports: one row per import run (what was read, what changed), and the quarantine of
-- rows an `import --skip-invalid` rejected, with file, line, column and reason, so
-- nothing an export contained is silently lost.
CREATE SEQUENCE import_run_ids START 1;
CREATE TABLE import_runs (
    run_id      INTEGER PRIMARY KEY DEFAULT nextval('import_run_ids'),
    imported_at TIMESTAMP NOT NULL,            -- the import's as-of time
    mapping     VARCHAR NOT NULL,
    files       VARCHAR NOT NULL,              -- JSON list of the files read
    summary     VARCHAR NOT NULL,              -- JSON: table -> new/updated/unchanged/invalid
    rejected    INTEGER NOT NULL DEFAULT 0     -- rows quarantined
);

CREATE TABLE import_quarantine (
    run_id     INTEGER NOT NULL,               -- import_runs.run_id
    tbl        VARCHAR NOT NULL,               -- the standup table the row was for
    file       VARCHAR NOT NULL,
    line       BIGINT NOT NULL,                -- line in the file (the header is line 1)
    col        VARCHAR,                        -- the export's column name
    value      VARCHAR,
    reason     VARCHAR NOT NULL,
    row_data   VARCHAR                         -- JSON: the whole row, as mapped to standup's columns
);
