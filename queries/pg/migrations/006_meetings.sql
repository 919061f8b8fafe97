-- PostgreSQL dialect of queries/migrations/006_meetings.sql (same number, same tables).
-- Standup meetings run with the agenda (issue 6): when each started and ended, the KPI
-- snapshot taken at its start, and how long each timeboxed segment actually took.
-- The minutes (`standup report --standup last`) are rebuilt from these plus the
-- append-only dispute_events between started_at and ended_at.

CREATE SEQUENCE meeting_ids START 1;
CREATE TABLE meetings (
    meeting_id  INTEGER PRIMARY KEY DEFAULT nextval('meeting_ids'),
    standup_id  INTEGER,                  -- standups.standup_id: KPIs when the agenda started
    label       VARCHAR,
    started_at  TIMESTAMP NOT NULL,
    ended_at    TIMESTAMP                 -- NULL while running (or if the app died)
);

-- One row per agenda segment; spent_seconds is updated as the meeting moves on, so a
-- crash loses at most the current segment's running time.
CREATE TABLE meeting_segments (
    meeting_id      INTEGER NOT NULL,
    position        INTEGER NOT NULL,     -- 0-based order in the agenda
    name            VARCHAR NOT NULL,
    screen          VARCHAR NOT NULL,
    planned_seconds DOUBLE PRECISION  NOT NULL,
    spent_seconds   DOUBLE PRECISION  NOT NULL DEFAULT 0,
    started_at      TIMESTAMP             -- first time the segment was on screen
);
