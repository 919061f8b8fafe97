-- SQLite translation of queries/panels/disputes.sql, with the lead labels DuckDB gets from
-- panels/dispute_labels.sql joined in (SQLite looks leads up by primary key cheaply).
WITH open_disputes AS (
    SELECT *, due_at < $now AS overdue
    FROM disputes
    WHERE status IN ('open', 'escalated')
    ORDER BY overdue DESC, due_at, dispute_id
    LIMIT $limit
)
SELECT
    d.dispute_id, d.lead_id, l.company, d.raised_by, d.kind, d.reason_code,
    coalesce(r.label, d.reason_code) AS reason_label, d.status, d.opened_at, d.due_at,
    d.overdue, p.name AS owner, c.name AS campaign
FROM open_disputes AS d
LEFT JOIN leads AS l ON l.lead_id = d.lead_id
LEFT JOIN reason_codes AS r ON r.code = d.reason_code
LEFT JOIN people AS p ON p.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
ORDER BY d.overdue DESC, d.due_at, d.dispute_id
