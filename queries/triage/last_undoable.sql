-- The newest undoable event (one with snapshots, not an open) and its batch.
SELECT event_id, batch_id
FROM dispute_events
WHERE after_state IS NOT NULL AND action <> 'open'
ORDER BY event_id DESC
LIMIT 1
