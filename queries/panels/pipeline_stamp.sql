-- Pipeline panel, step 1: can the stage-entry summary (migration 008) be used? It can
-- while stage_history still holds exactly the rows it summarized: all rows minus those
-- above the stamped id $stamped_id (a row count, and a range DuckDB's zone maps prune,
-- since the id is a constant here). Returns that id, or NULL when it cannot be used.
SELECT CASE WHEN
    (SELECT count(*) FROM stage_history)
    - (SELECT count(*) FROM stage_history WHERE history_id > $stamped_id) = max(history_rows)
    THEN max(max_history_id) END
FROM stage_entries_stamp
