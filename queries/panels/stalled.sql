-- Stalled panel: open leads (and open deals) past an SLA deadline, most money at risk
-- first, then most overdue. A lead's deadline is the earliest of: entering its stage +
-- the stage's days; (worked stages) last touch + no_touch_days; (mql) becoming an MQL +
-- accept_mql_hours. It is stalled when the deadline is strictly before now, so a lead
-- exactly at its threshold is not. Deadlines come from lead_deadlines (migration 002)
-- where that row is fresh, else are computed here with the same expressions as
-- deadlines/stamp.sql. "over" is in microseconds.
WITH deal_sla AS (
    SELECT unnest($deal_stages) AS stage, unnest($deal_days) AS days
), deal_deadlines AS (
    SELECT
        d.lead_id, d.stage, d.amount,
        d.stage_entered_at + to_days(s.days) AS stage_dl,
        coalesce(d.last_touch_at, d.stage_entered_at) + to_days($no_touch_days) AS touch_dl
    FROM deals AS d
    LEFT JOIN deal_sla AS s ON s.stage = d.stage
    WHERE d.stage NOT IN ('won', 'lost')
), open_deals AS (
    SELECT
        lead_id,
        sum(amount)::DOUBLE AS amount,
        arg_max(stage, amount) AS deal_stage,
        min(least(stage_dl, touch_dl)) AS deal_dl,
        arg_min(
            CASE WHEN touch_dl < stage_dl OR stage_dl IS NULL THEN 'deal untouched'
                 ELSE 'deal in stage' END,
            least(stage_dl, touch_dl)
        ) AS deal_rule
    FROM deal_deadlines
    GROUP BY lead_id
), computed AS (
    -- $stamp_ok: lead_deadlines was stamped under this SLA (checked by the caller).
    SELECT
        l.lead_id,
        $stamp_ok AND d.lead_id = l.lead_id AND d.updated_at = l.updated_at AS fresh,
        d.stall_at, d.stall_rule,
        CASE WHEN NOT coalesce(fresh, false) THEN
            l.stage_entered_at + to_days(CASE l.stage
                WHEN 'inquiry' THEN $inquiry_days
                WHEN 'mql' THEN $mql_days
                WHEN 'sal' THEN $sal_days
                WHEN 'sql' THEN $sql_days
                WHEN 'opportunity' THEN $opportunity_days
            END)
        END AS stage_dl,
        CASE WHEN NOT coalesce(fresh, false) AND l.stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(l.last_touch_at, l.stage_entered_at) + to_days($no_touch_days)
        END AS touch_dl,
        CASE WHEN NOT coalesce(fresh, false) AND l.stage = 'mql' THEN
            coalesce(l.mql_at, l.stage_entered_at) + to_hours($accept_mql_hours)
        END AS accept_dl
    FROM leads AS l
    POSITIONAL JOIN lead_deadlines AS d
    WHERE l.lead_id IS NOT NULL
), lead_stalled AS (
    SELECT lead_id, lead_dl, lead_rule
    FROM (
        SELECT
            lead_id,
            CASE WHEN fresh THEN stall_at ELSE least(stage_dl, touch_dl, accept_dl) END AS lead_dl,
            CASE WHEN fresh THEN stall_rule ELSE CASE least(stage_dl, touch_dl, accept_dl)
                WHEN accept_dl THEN 'not accepted'
                WHEN touch_dl THEN 'no touch'
                WHEN stage_dl THEN 'in stage'
            END END AS lead_rule
        FROM computed
    )
    WHERE lead_dl < $now
), stalled AS (
    -- Stalled by its own deadline, or by an open deal's; money = all its open deals.
    SELECT
        coalesce(a.lead_id, o.lead_id) AS lead_id,
        coalesce(o.amount, 0) AS amount,
        o.deal_stage,
        epoch_us($now) - epoch_us(least(a.lead_dl, o.deal_dl)) AS over_us,
        CASE WHEN o.deal_dl < a.lead_dl OR a.lead_dl IS NULL THEN o.deal_rule
             ELSE a.lead_rule END AS rule
    FROM lead_stalled AS a
    FULL OUTER JOIN open_deals AS o ON o.lead_id = a.lead_id
    WHERE a.lead_id IS NOT NULL OR o.deal_dl < $now
), top AS (
    SELECT * FROM stalled
    ORDER BY amount DESC, over_us DESC, lead_id
    LIMIT $limit
), totals AS (
    SELECT count(*) AS total, coalesce(sum(amount), 0)::DOUBLE AS total_amount FROM stalled
)
SELECT
    t.lead_id, l.company, l.stage, p.name AS owner, c.name AS campaign, t.amount,
    t.deal_stage, t.over_us, t.rule, totals.total, totals.total_amount
FROM totals
LEFT JOIN top AS t ON true
LEFT JOIN leads AS l ON l.lead_id = t.lead_id
LEFT JOIN people AS p ON p.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
ORDER BY t.amount DESC, t.over_us DESC, t.lead_id
