-- SQLite translation of queries/panels/stalled.sql. Times are epoch microseconds, so
-- epoch_us() is the identity; the deal-stage cutoffs come in as a JSON list of pairs.
WITH deal_sla AS (
    SELECT json_extract(value, '$[0]') AS stage, json_extract(value, '$[1]') AS cut
    FROM json_each($deal_sla)
), open_deals AS (
    SELECT
        d.lead_id,
        sum(d.amount) AS amount,
        (SELECT d2.stage FROM deals AS d2
         WHERE d2.lead_id = d.lead_id AND d2.stage NOT IN ('won', 'lost')
         ORDER BY d2.amount DESC LIMIT 1) AS deal_stage,
        max(s.cut - d.stage_entered_at) AS deal_stage_over,
        max($cut_touch - coalesce(d.last_touch_at, d.stage_entered_at)) AS deal_touch_over
    FROM deals AS d
    LEFT JOIN deal_sla AS s ON s.stage = d.stage
    WHERE d.stage NOT IN ('won', 'lost')
    GROUP BY d.lead_id
), lead_over AS (
    SELECT
        lead_id, company, stage, owner_id, campaign_id,
        CASE stage
            WHEN 'inquiry' THEN $cut_inquiry
            WHEN 'mql' THEN $cut_mql
            WHEN 'sal' THEN $cut_sal
            WHEN 'sql' THEN $cut_sql
            WHEN 'opportunity' THEN $cut_opportunity
        END - stage_entered_at AS stage_over,
        CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            $cut_touch - coalesce(last_touch_at, stage_entered_at)
        END AS touch_over,
        CASE WHEN stage = 'mql' THEN
            $cut_accept - coalesce(mql_at, stage_entered_at)
        END AS accept_over
    FROM leads
    WHERE stage IN ('inquiry', 'mql', 'sal', 'sql', 'opportunity')
), scored AS (
    SELECT
        l.lead_id, l.company, l.stage, l.owner_id, l.campaign_id,
        coalesce(d.amount, 0) AS amount, d.deal_stage,
        l.accept_over, l.stage_over, l.touch_over, d.deal_stage_over, d.deal_touch_over,
        max(coalesce(l.accept_over, -1), coalesce(l.stage_over, -1),
            coalesce(l.touch_over, -1), coalesce(d.deal_stage_over, -1),
            coalesce(d.deal_touch_over, -1)) AS over_us
    FROM lead_over AS l
    LEFT JOIN open_deals AS d ON d.lead_id = l.lead_id
), stalled AS (
    SELECT * FROM scored WHERE over_us > 0
), top AS (
    SELECT
        lead_id, company, stage, owner_id, campaign_id, amount, deal_stage, over_us,
        CASE over_us
            WHEN accept_over THEN 'not accepted'
            WHEN deal_stage_over THEN 'deal in stage'
            WHEN deal_touch_over THEN 'deal untouched'
            WHEN touch_over THEN 'no touch'
            ELSE 'in stage'
        END AS rule
    FROM stalled
    ORDER BY amount DESC, over_us DESC, lead_id
    LIMIT $limit
), totals AS (
    SELECT count(*) AS total, coalesce(sum(amount), 0) AS total_amount FROM stalled
)
SELECT
    t.lead_id, t.company, t.stage, p.name AS owner, c.name AS campaign, t.amount, t.deal_stage,
    t.over_us, t.rule, totals.total, totals.total_amount
FROM totals
LEFT JOIN top AS t ON 1
LEFT JOIN people AS p ON p.person_id = t.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = t.campaign_id
ORDER BY t.amount DESC, t.over_us DESC, t.lead_id
