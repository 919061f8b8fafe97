-- Open disputes panel, the labels of the leads shown (@lead_ids, a literal list): company,
-- owner and campaign names from lead_facts (migration 009), where leads with open
-- disputes are stored first, so the literal "open_disputes > 0" reads one row group
-- instead of looking up random rows among a million leads.
SELECT f.lead_id, f.company, p.name AS owner, c.name AS campaign
FROM lead_facts AS f
LEFT JOIN people AS p ON p.person_id = f.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = f.campaign_id
WHERE f.open_disputes > 0 AND f.lead_id IN (@lead_ids)
