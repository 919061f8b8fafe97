-- Apply computed lead states (JSON array $rows).
UPDATE leads AS l
SET stage = u.stage, owner_id = u.owner_id, reason_code = u.reason_code,
    recycle_on = u.recycle_on, stage_entered_at = u.stage_entered_at,
    accepted_at = u.accepted_at, reached_stage = u.reached_stage, updated_at = u.updated_at
FROM jsonb_to_recordset($rows::jsonb) AS u(
    lead_id BIGINT, stage VARCHAR, owner_id INTEGER, reason_code VARCHAR, recycle_on DATE,
    stage_entered_at TIMESTAMP, accepted_at TIMESTAMP, reached_stage VARCHAR,
    updated_at TIMESTAMP)
WHERE l.lead_id = u.lead_id
