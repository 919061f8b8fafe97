-- Apply computed lead states (registered Arrow table triage_lead_updates).
UPDATE leads AS l
SET stage = u.stage, owner_id = u.owner_id, reason_code = u.reason_code,
    recycle_on = u.recycle_on, stage_entered_at = u.stage_entered_at,
    accepted_at = u.accepted_at, reached_stage = u.reached_stage, updated_at = u.updated_at
FROM triage_lead_updates AS u
WHERE l.lead_id = u.lead_id
