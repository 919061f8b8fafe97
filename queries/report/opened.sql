-- Disputes opened in a time window.
SELECT
    d.dispute_id,
    d.opened_at,
    d.raised_by,
    d.kind,
    d.reason_code,
    rc.label AS reason_label,
    d.claim,
    d.opened_by,
    l.company,
    d.status,
    d.lead_id,
    l.external_id
FROM disputes AS d
LEFT JOIN leads AS l ON l.lead_id = d.lead_id
LEFT JOIN reason_codes AS rc ON rc.code = d.reason_code
WHERE d.opened_at >= $since AND d.opened_at <= $until
ORDER BY d.opened_at, d.dispute_id
