-- Team mode: queries/panels/stalled_money.sql, its filter, order and limit run inside
-- Postgres (postgres_query; the lead_facts_money index of queries/pg/setup/020_facts.sql
-- serves them), so only the shown rows come back; the labels are joined here as there.
WITH shown AS (
    SELECT *
    FROM postgres_query('@alias',
        'SELECT lead_id, stage, open_amount, stage_dl, touch_dl, accept_dl, deal_dl, deal_rule, '
        || 'deal_stage, stall_at, company, owner_id, campaign_id FROM lead_facts '
        || 'WHERE stall_at < ''' || $now::TIMESTAMP::VARCHAR || '''::TIMESTAMP AND open_amount > 0 '
        || 'ORDER BY open_amount DESC, stall_at, lead_id LIMIT ' || $limit::BIGINT::VARCHAR)
)
SELECT s.*, p.name AS owner, c.name AS campaign
FROM shown AS s
LEFT JOIN people AS p ON p.person_id = s.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = s.campaign_id
ORDER BY s.open_amount DESC, s.stall_at, s.lead_id
