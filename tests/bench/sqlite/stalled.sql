-- SQLite translation of queries/panels/stalled.sql. Times are epoch microseconds; list
-- parameters arrive as JSON. SQLite has no precomputed lead_deadlines here: it derives
-- every open lead's deadline on the fly (the query a SQLite user would write; standup
-- reads the stamped deadlines). SQLite's min(a, b, ...) is NULL if any argument is, so
-- missing deadlines become 9e18 (never) first.
WITH deal_sla AS (
    SELECT json_extract($deal_stages, '$[' || key || ']') AS stage, value AS days
    FROM json_each($deal_days)
), deal_deadlines AS MATERIALIZED (
    SELECT
        d.lead_id, d.stage, d.amount,
        d.stage_entered_at + s.days * 86400000000 AS stage_dl,
        coalesce(d.last_touch_at, d.stage_entered_at) + $no_touch_days * 86400000000 AS touch_dl
    FROM deals AS d
    LEFT JOIN deal_sla AS s ON s.stage = d.stage
    WHERE d.stage NOT IN ('won', 'lost')
), open_deals AS MATERIALIZED (
    SELECT lead_id, sum(amount) AS amount, min(min(coalesce(stage_dl, 9e18), touch_dl)) AS deal_dl
    FROM deal_deadlines
    GROUP BY lead_id
), lead_dls AS (
    SELECT
        lead_id,
        nullif(min(
            coalesce(stage_entered_at + (CASE stage
                WHEN 'inquiry' THEN $inquiry_days
                WHEN 'mql' THEN $mql_days
                WHEN 'sal' THEN $sal_days
                WHEN 'sql' THEN $sql_days
                WHEN 'opportunity' THEN $opportunity_days
            END) * 86400000000, 9e18),
            coalesce(CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
                coalesce(last_touch_at, stage_entered_at) + $no_touch_days * 86400000000
            END, 9e18),
            coalesce(CASE WHEN stage = 'mql' THEN
                coalesce(mql_at, stage_entered_at) + $accept_mql_hours * 3600000000
            END, 9e18)
        ), 9e18) AS lead_dl
    FROM leads
    WHERE stage IN ('inquiry', 'mql', 'sal', 'sql', 'opportunity')
), lead_stalled AS MATERIALIZED (
    SELECT lead_id, lead_dl FROM lead_dls WHERE lead_dl < $now
), stalled AS MATERIALIZED (
    -- FULL OUTER JOIN as a left join plus the deals whose lead is not stalled: SQLite
    -- runs a full join as a nested loop without an index.
    SELECT
        a.lead_id,
        coalesce(o.amount, 0) AS amount,
        a.lead_dl,
        CASE WHEN o.deal_dl < $now THEN o.deal_dl END AS deal_dl,
        $now - min(a.lead_dl, coalesce(o.deal_dl, 9e18)) AS over_us
    FROM lead_stalled AS a
    LEFT JOIN open_deals AS o ON o.lead_id = a.lead_id
    UNION ALL
    SELECT o.lead_id, o.amount, NULL, o.deal_dl, $now - o.deal_dl
    FROM open_deals AS o
    WHERE o.deal_dl < $now AND o.lead_id NOT IN (SELECT lead_id FROM lead_stalled)
), top AS (
    SELECT * FROM stalled
    ORDER BY amount DESC, over_us DESC, lead_id
    LIMIT $limit
), totals AS (
    SELECT count(*) AS total, coalesce(sum(amount), 0) AS total_amount FROM stalled
), labelled AS (
    SELECT
        t.lead_id, t.amount, t.lead_dl, t.deal_dl, t.over_us,
        l.company, l.stage, l.owner_id, l.campaign_id,
        CASE WHEN l.stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(l.last_touch_at, l.stage_entered_at) + $no_touch_days * 86400000000
        END AS touch_dl,
        CASE WHEN l.stage = 'mql' THEN
            coalesce(l.mql_at, l.stage_entered_at) + $accept_mql_hours * 3600000000
        END AS accept_dl,
        (SELECT dd.stage FROM deal_deadlines AS dd WHERE dd.lead_id = t.lead_id
         ORDER BY dd.amount DESC LIMIT 1) AS deal_stage,
        (SELECT CASE WHEN dd.touch_dl < dd.stage_dl OR dd.stage_dl IS NULL
                     THEN 'deal untouched' ELSE 'deal in stage' END
         FROM deal_deadlines AS dd WHERE dd.lead_id = t.lead_id
         ORDER BY min(coalesce(dd.stage_dl, 9e18), dd.touch_dl) LIMIT 1) AS deal_rule
    FROM top AS t
    LEFT JOIN leads AS l ON l.lead_id = t.lead_id
)
SELECT
    x.lead_id, x.company, x.stage, p.name AS owner, c.name AS campaign, x.amount,
    x.deal_stage, x.over_us,
    CASE
        WHEN x.deal_dl < x.lead_dl OR x.lead_dl IS NULL THEN x.deal_rule
        WHEN x.lead_dl = x.accept_dl THEN 'not accepted'
        WHEN x.lead_dl = x.touch_dl THEN 'no touch'
        ELSE 'in stage'
    END AS rule,
    totals.total, totals.total_amount
FROM totals
LEFT JOIN labelled AS x ON 1
LEFT JOIN people AS p ON p.person_id = x.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = x.campaign_id
ORDER BY x.amount DESC, x.over_us DESC, x.lead_id
