-- SQLite side of queries/panels/pipeline_stamp_id.sql. The SQLite copy has no stage-entry
-- summary (migration 008), so the baseline always answers Pipeline by scanning stage_history.
SELECT NULL
