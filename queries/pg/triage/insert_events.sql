-- Append the audit events (JSON array $rows), ids already reserved.
INSERT INTO dispute_events (event_id, dispute_id, lead_id, event_at, actor, action, outcome,
                            fault, reason_code, note, batch_id, undoes, before_state, after_state)
SELECT event_id, dispute_id, lead_id, event_at, actor, action, outcome, fault, reason_code, note,
       batch_id, undoes, before_state, after_state
FROM jsonb_to_recordset($rows::jsonb) AS r(
    event_id BIGINT, dispute_id INTEGER, lead_id BIGINT, event_at TIMESTAMP, actor VARCHAR,
    action VARCHAR, outcome VARCHAR, fault VARCHAR, reason_code VARCHAR, note VARCHAR,
    batch_id VARCHAR, undoes BIGINT, before_state VARCHAR, after_state VARCHAR)
ORDER BY event_id
