-- Append one stage move made by triage ($params): the one-row insert_history.sql.
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source, event_id)
VALUES ($lead_id, $from_stage, $to_stage, $moved_at, $actor, 'triage', $event_id)
