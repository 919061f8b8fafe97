-- Stalled panel: open leads (and open deals) past an SLA deadline, most money at risk
-- first, then most overdue. A lead's deadline is the earliest of: entering its stage +
-- the stage's days; (worked stages) last touch + no_touch_days; (mql) becoming an MQL +
-- accept_mql_hours. It is stalled when the deadline is strictly before now, so a lead
-- exactly at its threshold is not. "over" is in microseconds.
--
-- Deadlines come from lead_deadlines (migration 002) for leads whose stored row is fresh;
-- the caller passes the others ($drift_ids, found by deadlines/drifted.sql), or
-- $drift_all when there are too many to list, and those are computed here with the same
-- expressions as deadlines/stamp.sql.
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
    -- numbers only: the labels are looked up for the few rows shown
    SELECT lead_id, sum(amount)::DOUBLE AS amount, min(least(stage_dl, touch_dl)) AS deal_dl
    FROM deal_deadlines
    GROUP BY lead_id
), fresh AS (
    SELECT l.lead_id, d.stall_at AS lead_dl
    FROM leads AS l
    POSITIONAL JOIN lead_deadlines AS d
    WHERE NOT $drift_all AND $stamp_ok
      AND d.lead_id = l.lead_id AND d.updated_at = l.updated_at AND d.stall_at < $now
), recomputed AS (
    SELECT
        lead_id,
        least(
            stage_entered_at + to_days(CASE stage
                WHEN 'inquiry' THEN $inquiry_days
                WHEN 'mql' THEN $mql_days
                WHEN 'sal' THEN $sal_days
                WHEN 'sql' THEN $sql_days
                WHEN 'opportunity' THEN $opportunity_days
            END),
            CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
                coalesce(last_touch_at, stage_entered_at) + to_days($no_touch_days)
            END,
            CASE WHEN stage = 'mql' THEN
                coalesce(mql_at, stage_entered_at) + to_hours($accept_mql_hours)
            END
        ) AS lead_dl
    FROM leads
    WHERE $drift_all OR lead_id IN (SELECT unnest($drift_ids::BIGINT[]))
), lead_stalled AS (
    SELECT lead_id, lead_dl FROM fresh
    UNION ALL
    SELECT lead_id, lead_dl FROM recomputed WHERE lead_dl < $now
), stalled AS (
    -- Stalled by its own deadline, or by an open deal's; money = all its open deals.
    SELECT
        coalesce(a.lead_id, o.lead_id) AS lead_id,
        coalesce(o.amount, 0) AS amount,
        a.lead_dl,
        CASE WHEN o.deal_dl < $now THEN o.deal_dl END AS deal_dl,
        epoch_us($now) - epoch_us(least(a.lead_dl, o.deal_dl)) AS over_us
    FROM lead_stalled AS a
    FULL OUTER JOIN open_deals AS o ON o.lead_id = a.lead_id
    WHERE a.lead_id IS NOT NULL OR o.deal_dl < $now
), top AS (
    SELECT * FROM stalled
    ORDER BY amount DESC, over_us DESC, lead_id
    LIMIT $limit
), totals AS (
    SELECT count(*) AS total, coalesce(sum(amount), 0)::DOUBLE AS total_amount FROM stalled
), labelled AS (
    -- For the rows shown only: which rule fires first (recomputed), and the biggest open
    -- deal's stage.
    SELECT
        t.lead_id, t.amount, t.lead_dl, t.deal_dl, t.over_us,
        l.company, l.stage, l.owner_id, l.campaign_id,
        l.stage_entered_at + to_days(CASE l.stage
            WHEN 'inquiry' THEN $inquiry_days
            WHEN 'mql' THEN $mql_days
            WHEN 'sal' THEN $sal_days
            WHEN 'sql' THEN $sql_days
            WHEN 'opportunity' THEN $opportunity_days
        END) AS stage_dl,
        CASE WHEN l.stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(l.last_touch_at, l.stage_entered_at) + to_days($no_touch_days)
        END AS touch_dl,
        CASE WHEN l.stage = 'mql' THEN
            coalesce(l.mql_at, l.stage_entered_at) + to_hours($accept_mql_hours)
        END AS accept_dl,
        arg_max(dd.stage, dd.amount) AS deal_stage,
        arg_min(
            CASE WHEN dd.touch_dl < dd.stage_dl OR dd.stage_dl IS NULL THEN 'deal untouched'
                 ELSE 'deal in stage' END,
            least(dd.stage_dl, dd.touch_dl)
        ) AS deal_rule
    FROM top AS t
    LEFT JOIN leads AS l ON l.lead_id = t.lead_id
    LEFT JOIN deal_deadlines AS dd ON dd.lead_id = t.lead_id
    GROUP BY ALL
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
LEFT JOIN labelled AS x ON true
LEFT JOIN people AS p ON p.person_id = x.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = x.campaign_id
ORDER BY x.amount DESC, x.over_us DESC, x.lead_id
