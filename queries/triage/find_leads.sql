-- Leads whose CRM id, company or internal number matches what was typed, for raising a
-- dispute on any lead (not only the stalled ones on the dashboard). Exact ids first, then
-- ids and companies that start with the text, then the rest; a scan of the leads table
-- (tens of ms at 1M leads), run in a worker.
SELECT l.lead_id, l.external_id, l.company, l.stage, o.name AS owner, c.name AS campaign
FROM leads AS l
LEFT JOIN people AS o ON o.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
WHERE l.external_id ILIKE $contains ESCAPE '\'
   OR l.company ILIKE $contains ESCAPE '\'
   OR l.lead_id::VARCHAR = $text
ORDER BY
    (lower(l.external_id) = lower($text) OR l.lead_id::VARCHAR = $text) DESC,
    (l.external_id ILIKE $starts ESCAPE '\' OR l.company ILIKE $starts ESCAPE '\') DESC,
    l.company, l.lead_id
LIMIT $limit
