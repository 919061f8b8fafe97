-- After a push, every id sequence continues after the highest id the file brought.
SELECT setval('touch_ids', coalesce((SELECT max(touch_id) FROM touches), 0) + 1, false),
       setval('stage_history_ids',
              coalesce((SELECT max(history_id) FROM stage_history), 0) + 1, false),
       setval('dispute_event_ids',
              coalesce((SELECT max(event_id) FROM dispute_events), 0) + 1, false),
       setval('dispute_ids', coalesce((SELECT max(dispute_id) FROM disputes), 0) + 1, false),
       setval('standup_ids', coalesce((SELECT max(standup_id) FROM standups), 0) + 1, false),
       setval('import_run_ids', coalesce((SELECT max(run_id) FROM import_runs), 0) + 1, false),
       setval('meeting_ids', coalesce((SELECT max(meeting_id) FROM meetings), 0) + 1, false)
