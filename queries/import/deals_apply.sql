-- Write the deal plan.
UPDATE deals SET
    lead_id = p.lead_id, name = p.name, owner_id = p.owner_id, stage = p.stage,
    amount = p.amount, created_at = p.created_at, stage_entered_at = p.stage_entered_at,
    last_touch_at = p.last_touch_at, expected_close = p.expected_close,
    closed_at = p.closed_at, updated_at = getvariable('imp_now')
FROM imp_deals_plan AS p
WHERE deals.deal_id = p.deal_id AND p.action = 'updated';
INSERT INTO deals BY NAME
SELECT deal_id, external_id, lead_id, name, owner_id, stage, amount, created_at,
       stage_entered_at, last_touch_at, expected_close, closed_at,
       getvariable('imp_now') AS updated_at
FROM imp_deals_plan WHERE action = 'new';
