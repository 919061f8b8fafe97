-- Append stage moves made by triage (registered Arrow table triage_new_history), in order.
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source, event_id)
SELECT lead_id, from_stage, to_stage, moved_at, actor, 'triage', event_id
FROM triage_new_history
ORDER BY event_id
