-- Append stage moves made by triage (JSON array $rows), in order.
INSERT INTO stage_history (history_id, lead_id, from_stage, to_stage, moved_at, actor, source,
                           event_id)
SELECT nextval('stage_history_ids'), lead_id, from_stage, to_stage, moved_at, actor, 'triage',
       event_id
FROM jsonb_to_recordset($rows::jsonb) AS r(
    event_id BIGINT, lead_id BIGINT, from_stage VARCHAR, to_stage VARCHAR, moved_at TIMESTAMP,
    actor VARCHAR)
ORDER BY event_id
