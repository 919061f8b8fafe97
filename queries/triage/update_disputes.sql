-- Apply computed dispute states (registered Arrow table triage_dispute_updates).
UPDATE disputes AS d
SET status = u.status, resolved_at = u.resolved_at, outcome = u.outcome, fault = u.fault,
    version = u.version
FROM triage_dispute_updates AS u
WHERE d.dispute_id = u.dispute_id
