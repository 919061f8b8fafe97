-- Append the audit events (registered Arrow table triage_new_events), ids already reserved.
INSERT INTO dispute_events (event_id, dispute_id, lead_id, event_at, actor, action, outcome,
                            fault, reason_code, note, batch_id, undoes, before_state, after_state)
SELECT event_id, dispute_id, lead_id, event_at, actor, action, outcome, fault, reason_code, note,
       batch_id, undoes, before_state, after_state
FROM triage_new_events
ORDER BY event_id
