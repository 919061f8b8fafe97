-- Pipeline panel, step 0: the last history_id the stage-entry summary covers (NULL: none).
SELECT max(max_history_id) FROM stage_entries_stamp
