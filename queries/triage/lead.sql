-- One lead for the detail pane and for opening a dispute.
SELECT l.lead_id, l.company, l.contact_name, l.email, l.stage, l.stage_entered_at, l.owner_id,
       o.name AS owner, l.score, l.campaign_id, c.name AS campaign, c.channel, l.created_at,
       l.mql_at, l.reason_code, l.recycle_on, l.external_id
FROM leads AS l
LEFT JOIN people AS o ON o.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
WHERE l.lead_id = $lead_id
