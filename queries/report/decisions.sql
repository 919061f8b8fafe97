-- Every triage action (not openings) in a time window: what the meeting decided, by whom.
SELECT
    e.event_id,
    e.event_at,
    e.dispute_id,
    e.lead_id,
    l.company,
    e.action,
    e.outcome,
    e.fault,
    e.reason_code,
    rc.label AS reason_label,
    e.note,
    e.actor,
    e.undoes,
    d.raised_by,
    l.external_id
FROM dispute_events AS e
LEFT JOIN disputes AS d ON d.dispute_id = e.dispute_id
LEFT JOIN leads AS l ON l.lead_id = e.lead_id
LEFT JOIN reason_codes AS rc ON rc.code = e.reason_code
WHERE e.event_at >= $since AND e.event_at <= $until AND e.action <> 'open'
ORDER BY e.event_at, e.event_id
