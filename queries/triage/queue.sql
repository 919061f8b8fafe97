-- The triage queue: open and escalated disputes (in no order: triage.queue_order sorts).
SELECT d.dispute_id, d.version, d.status, d.raised_by, d.kind, d.reason_code, d.claim,
       d.opened_at, d.opened_by, d.due_at, d.due_at < $now AS overdue,
       l.lead_id, l.company, l.contact_name, l.stage, l.owner_id, o.name AS owner,
       l.campaign_id, c.name AS campaign, l.score, l.external_id
FROM disputes AS d
JOIN leads AS l ON l.lead_id = d.lead_id
LEFT JOIN people AS o ON o.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
WHERE d.status IN ('open', 'escalated')
