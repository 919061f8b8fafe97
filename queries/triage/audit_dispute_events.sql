-- Every snapshotted audit event, oldest first (replay check).
SELECT event_id, dispute_id, lead_id, action, undoes, batch_id, before_state, after_state
FROM dispute_events
WHERE after_state IS NOT NULL
ORDER BY event_id
