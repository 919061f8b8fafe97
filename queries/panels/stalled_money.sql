-- Stalled panel, the rows shown first: stalled leads with money at risk, most money
-- first, then most overdue. lead_facts is stored sorted by open_amount, so the literal
-- "open_amount > 0" lets DuckDB's zone maps skip every row group of leads without deals.
WITH shown AS (
    SELECT
        lead_id, stage, open_amount, stage_dl, touch_dl, accept_dl, deal_dl, deal_rule,
        deal_stage, stall_at, company, owner_id, campaign_id
    FROM lead_facts
    WHERE stall_at < $now AND open_amount > 0
    ORDER BY open_amount DESC, stall_at, lead_id
    LIMIT $limit
)
SELECT s.*, p.name AS owner, c.name AS campaign
FROM shown AS s
LEFT JOIN people AS p ON p.person_id = s.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = s.campaign_id
ORDER BY s.open_amount DESC, s.stall_at, s.lead_id
