-- The leads this import changed (the lead itself, one of its deals, its deals moving it
-- (lead_drive.sql), or a new touch that
-- moved its last touch), at most $cap + 1 of them: their dashboard facts are refreshed in
-- the same transaction (standup.facts.refresh_leads).
SELECT lead_id FROM imp_leads_plan WHERE action IN ('new', 'updated')
UNION
SELECT lead_id FROM imp_deals_plan WHERE action IN ('new', 'updated')
UNION
SELECT lead_id FROM imp_touches_plan WHERE action = 'new'
UNION
SELECT lead_id FROM imp_drive
LIMIT $cap + 1
