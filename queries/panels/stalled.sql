-- Stalled panel: open leads (and their open deals) past an SLA threshold, most money at
-- risk first. Thresholds come from the config as parallel lists; "over" is measured in
-- microseconds so a lead exactly at its threshold (over = 0) is not stalled.
WITH lead_sla AS (
    SELECT unnest($lead_stages) AS stage, unnest($lead_days) AS days
), deal_sla AS (
    SELECT unnest($deal_stages) AS stage, unnest($deal_days) AS days
), open_deals AS (
    SELECT
        d.lead_id,
        sum(d.amount)::DOUBLE AS amount,
        max(epoch_us($now) - epoch_us(d.stage_entered_at) - s.days * 86400000000) AS deal_stage_over,
        max(epoch_us($now) - epoch_us(coalesce(d.last_touch_at, d.stage_entered_at))
            - $no_touch_days * 86400000000) AS deal_touch_over,
        arg_max(d.stage, d.amount) AS deal_stage
    FROM deals AS d
    LEFT JOIN deal_sla AS s ON s.stage = d.stage
    WHERE d.stage NOT IN ('won', 'lost')
    GROUP BY d.lead_id
), candidates AS (
    SELECT
        l.lead_id, l.company, l.stage, l.owner_id, l.campaign_id,
        coalesce(d.amount, 0) AS amount,
        d.deal_stage,
        CASE WHEN l.stage = 'mql' THEN
            epoch_us($now) - epoch_us(coalesce(l.mql_at, l.stage_entered_at))
            - $accept_mql_hours * 3600000000
        END AS accept_over,
        epoch_us($now) - epoch_us(l.stage_entered_at) - s.days * 86400000000 AS stage_over,
        CASE WHEN l.stage IN ('sal', 'sql', 'opportunity') THEN
            epoch_us($now) - epoch_us(coalesce(l.last_touch_at, l.stage_entered_at))
            - $no_touch_days * 86400000000
        END AS touch_over,
        d.deal_stage_over,
        d.deal_touch_over
    FROM leads AS l
    LEFT JOIN lead_sla AS s ON s.stage = l.stage
    LEFT JOIN open_deals AS d ON d.lead_id = l.lead_id
    WHERE l.stage IN ('inquiry', 'mql', 'sal', 'sql', 'opportunity') OR d.lead_id IS NOT NULL
), scored AS (
    SELECT
        *,
        greatest(coalesce(accept_over, -1), coalesce(stage_over, -1), coalesce(touch_over, -1),
                 coalesce(deal_stage_over, -1), coalesce(deal_touch_over, -1)) AS over_us
    FROM candidates
), stalled AS (
    SELECT
        lead_id, company, stage, owner_id, campaign_id, amount, deal_stage, over_us,
        CASE over_us
            WHEN accept_over THEN 'not accepted'
            WHEN deal_stage_over THEN 'deal in stage'
            WHEN deal_touch_over THEN 'deal untouched'
            WHEN touch_over THEN 'no touch'
            ELSE 'in stage'
        END AS rule,
        count(*) OVER () AS total,
        sum(amount) OVER () AS total_amount
    FROM scored
    WHERE over_us > 0
    ORDER BY amount DESC, over_us DESC, lead_id
    LIMIT $limit
)
SELECT
    s.lead_id, s.company, s.stage, p.name AS owner, c.name AS campaign, s.amount, s.deal_stage,
    s.over_us, s.rule, s.total, s.total_amount
FROM stalled AS s
LEFT JOIN people AS p ON p.person_id = s.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = s.campaign_id
ORDER BY s.amount DESC, s.over_us DESC, s.lead_id
