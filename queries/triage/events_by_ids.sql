-- Audit events by id, oldest first (undo compensates them newest first).
SELECT event_id, dispute_id, lead_id, action, reason_code, batch_id, undoes, before_state,
       after_state
FROM dispute_events
WHERE event_id IN (SELECT unnest($ids::BIGINT[]))
ORDER BY event_id
