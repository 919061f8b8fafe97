-- PostgreSQL dialect of queries/migrations/008_stage_entries.sql (same number, same tables).
-- Stage entries, precomputed for the Pipeline panel's conversion (issue 3: 1M leads, all
-- panels <= 60 ms). Counting moves into each stage within the window scanned all of
-- stage_history (3M rows at 1M leads) on every refresh.
--
-- stage_history is append-only, so a summary of it up to a history_id stays true:
--   stage_entries_daily  moves per (day, to_stage), for the whole days inside the window;
--   stage_entries        every stamped move's (moved_at, to_stage), sorted by moved_at, so
--                        the two partial days at the window's edges read a row group or two;
--   stage_entries_stamp  the highest history_id summarized and how many rows that covered.
-- Moves appended since (history_id above the stamp) are counted from stage_history itself.
-- The summary is used only while stage_history still has exactly that many rows up to
-- that id; otherwise the panel scans stage_history as before, so writers never have to
-- know. `standup.deadlines.restamp` rebuilds it together with lead_deadlines.
CREATE TABLE stage_entries_daily (
    day       DATE    NOT NULL,
    to_stage  VARCHAR NOT NULL,
    n         BIGINT  NOT NULL
);

CREATE TABLE stage_entries (
    moved_at  TIMESTAMP NOT NULL,
    to_stage  VARCHAR   NOT NULL
);

CREATE TABLE stage_entries_stamp (
    max_history_id  BIGINT NOT NULL,
    history_rows    BIGINT NOT NULL
);
