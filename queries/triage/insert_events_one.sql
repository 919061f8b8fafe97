-- Append one audit event ($params, its id already reserved): the one-row insert_events.sql,
-- without registering an Arrow table for it (~2 ms against ~4).
INSERT INTO dispute_events (event_id, dispute_id, lead_id, event_at, actor, action, outcome,
                            fault, reason_code, note, batch_id, undoes, before_state, after_state)
VALUES ($event_id, $dispute_id, $lead_id, $event_at, $actor, $action, $outcome, $fault,
        $reason_code, $note, $batch_id, $undoes, $before_state, $after_state)
