-- Apply computed dispute states (JSON array $rows). Each row names the version it read:
-- a dispute someone else changed meanwhile matches nothing, and the caller counts rows.
UPDATE disputes AS d
SET status = u.status, resolved_at = u.resolved_at, outcome = u.outcome, fault = u.fault,
    version = u.version
FROM jsonb_to_recordset($rows::jsonb) AS u(
    dispute_id INTEGER, old_version INTEGER, status VARCHAR, resolved_at TIMESTAMP,
    outcome VARCHAR, fault VARCHAR, version INTEGER)
WHERE d.dispute_id = u.dispute_id AND d.version = u.old_version
