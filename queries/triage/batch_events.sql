-- Every event id of one batch.
SELECT event_id FROM dispute_events WHERE batch_id = $batch_id ORDER BY event_id
