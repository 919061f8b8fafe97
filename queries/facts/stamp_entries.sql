-- Restamp, stage entries (migration 008): summarize stage_history as it is now. Runs in
-- the restamp's transaction, so the three tables always describe the same rows.
DELETE FROM stage_entries_daily;
DELETE FROM stage_entries;
DELETE FROM stage_entries_stamp;
INSERT INTO stage_entries_stamp
SELECT coalesce(max(history_id), 0), count(*) FROM stage_history;
INSERT INTO stage_entries
SELECT moved_at, to_stage FROM stage_history
WHERE history_id <= (SELECT max_history_id FROM stage_entries_stamp)
  -- a move at an unknown time (migration 010) is in no window
  AND moved_at IS NOT NULL
ORDER BY moved_at;
INSERT INTO stage_entries_daily
SELECT moved_at::DATE, to_stage, count(*) FROM stage_entries GROUP BY ALL ORDER BY 1, 2;
