-- Open disputes panel: open or escalated disputes, overdue ones first (most overdue at the
-- top), then by due time; at most $limit rows. A dispute due exactly now is not overdue.
-- The leads' labels come from panels/lead_labels.sql, by id (a join to `leads` here would
-- scan every lead to label $limit rows).
SELECT
    d.dispute_id, d.lead_id, d.raised_by, d.kind, d.reason_code,
    coalesce(r.label, d.reason_code) AS reason_label, d.status, d.opened_at, d.due_at,
    d.due_at < $now AS overdue
FROM disputes AS d
LEFT JOIN reason_codes AS r ON r.code = d.reason_code
WHERE d.status IN ('open', 'escalated')
ORDER BY overdue DESC, d.due_at, d.dispute_id
LIMIT $limit
