-- Demo step 4: a deal for every lead that reached opportunity.
INSERT INTO deals
SELECT
    p.lead_id AS deal_id,
    'DEMO-D' || p.lead_id AS external_id,
    p.lead_id,
    l.company || ' — platform' AS name,
    p.owner_id,
    CASE
        WHEN p.t_won <= p.now_ts THEN 'won'
        WHEN p.t_lost <= p.now_ts THEN 'lost'
        ELSE list_extract(['qualification', 'proposal', 'negotiation'], 1 + floor(p.u_reason * 3)::INTEGER)
    END AS stage,
    -- partner deals are bigger; a square makes a long tail of large deals
    round((4000 + 86000 * pow(p.u_amount, 2)) * CASE WHEN p.campaign_id = 1 THEN 1.6 ELSE 1 END / 500) * 500,
    p.t_opp AS created_at,
    CASE
        WHEN p.t_won <= p.now_ts THEN p.t_won
        WHEN p.t_lost <= p.now_ts THEN p.t_lost
        ELSE p.t_opp + to_microseconds((epoch_us(p.now_ts - p.t_opp) * p.u_d2 * 0.8)::BIGINT)
    END AS stage_entered_at,
    l.last_touch_at,
    (p.t_opp + INTERVAL 75 DAY)::DATE AS expected_close,
    CASE WHEN p.t_won <= p.now_ts THEN p.t_won WHEN p.t_lost <= p.now_ts THEN p.t_lost END AS closed_at,
    p.now_ts AS updated_at
FROM plan_stage AS p
JOIN leads AS l USING (lead_id)
WHERE p.t_opp <= p.now_ts;
