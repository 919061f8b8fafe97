-- Every dashboard fact of some leads, computed from leads, deals and disputes as they are
-- now: the one place the SLA deadline rules are written. @these_leads is a filter on
-- lead_id: a literal id list for a writer's few leads (the indexes serve it), or true for
-- every lead (a restamp). See migration 009 for what each column means.
--
-- A lead's own deadline is the earliest of: entering its stage + the stage's days; (worked
-- stages) last touch + no_touch_days; (mql) becoming an MQL + accept_mql_hours. An open
-- deal's is the earlier of entering its stage + the deal stage's days and last touch +
-- no_touch_days. stall_at is the earliest of them all. A deadline from an unknown time
-- (NULL stage_entered_at, migration 010) is unknown: the lead is not stalled by it.
--
-- Migration 011's facts: reached is the rank on the main path ($funnel) of the furthest
-- stage reached (never below the current stage's, nor below a milestone it has a time for), the milestone times as the lead has
-- them, hours from acceptance to first contact, and deal counts and money.
WITH their_deals AS (
    -- a deal stage's days by position in the parallel lists (a join to an unnested
    -- table costs a hash table per statement, which a writer's one-lead refresh pays)
    SELECT
        lead_id, deal_id, stage, amount::DOUBLE AS amount, stage NOT IN ('won', 'lost') AS open,
        created_at, closed_at, expected_close,
        stage_entered_at
            + to_days(($deal_days::INTEGER[])[list_position($deal_stages::VARCHAR[], stage)])
            AS stage_dl,
        coalesce(last_touch_at, stage_entered_at) + to_days($no_touch_days) AS touch_dl
    FROM deals
    WHERE @these_leads
), deal_facts AS (
    SELECT
        lead_id,
        coalesce(sum(amount) FILTER (WHERE open), 0) AS open_amount,
        coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0) AS won_amount,
        min(least(stage_dl, touch_dl)) FILTER (WHERE open) AS deal_dl,
        -- ties go to the lowest deal_id (as in the PostgreSQL twin, queries/pg/facts/)
        arg_min(
            CASE WHEN touch_dl < stage_dl OR stage_dl IS NULL THEN 'deal untouched'
                 ELSE 'deal in stage' END,
            (least(stage_dl, touch_dl), deal_id)
        ) FILTER (WHERE open AND least(stage_dl, touch_dl) IS NOT NULL) AS deal_rule,
        arg_max(stage, (amount, -deal_id)) FILTER (WHERE open) AS deal_stage,
        count(*) FILTER (WHERE stage = 'won') AS won_deals,
        count(*) FILTER (WHERE NOT open) AS closed_deals,
        coalesce(sum(amount), 0) AS deal_amount,
        coalesce(max(amount) FILTER (WHERE stage = 'won'), 0) AS won_max,
        greatest(max(created_at), max(closed_at)) AS latest_at,
        list({
            'stage': stage, 'amount': amount, 'created_at': created_at,
            'closed_at': closed_at, 'expected_close': expected_close
        } ORDER BY deal_id) AS deal_list
    FROM their_deals
    GROUP BY lead_id
), dispute_facts AS (
    SELECT
        lead_id, count(*) AS disputes,
        count(*) FILTER (WHERE status IN ('open', 'escalated')) AS open_disputes,
        count(*) FILTER (WHERE raised_by = 'sales') AS quality_disputes
    FROM disputes
    WHERE @these_leads
    GROUP BY lead_id
), lead_rules AS (
    SELECT
        lead_id, company, owner_id, campaign_id, stage, mql_at IS NOT NULL AS mql, accepted_at IS NOT NULL AS accepted,
        stage_entered_at + to_days(CASE stage
            WHEN 'inquiry' THEN $inquiry_days
            WHEN 'mql' THEN $mql_days
            WHEN 'sal' THEN $sal_days
            WHEN 'sql' THEN $sql_days
            WHEN 'opportunity' THEN $opportunity_days
        END) AS stage_dl,
        CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(last_touch_at, stage_entered_at) + to_days($no_touch_days)
        END AS touch_dl,
        CASE WHEN stage = 'mql' THEN
            coalesce(mql_at, stage_entered_at) + to_hours($accept_mql_hours)
        END AS accept_dl,
        greatest(
            list_position($funnel::VARCHAR[], reached_stage),
            list_position($funnel::VARCHAR[], stage),
            -- a milestone time says the stage was reached, whoever forgot reached_stage
            CASE WHEN mql_at IS NOT NULL THEN 2 END,
            CASE WHEN accepted_at IS NOT NULL THEN 3 END,
            CASE WHEN sql_at IS NOT NULL THEN 4 END,
            CASE WHEN opportunity_at IS NOT NULL THEN 5 END,
            CASE WHEN customer_at IS NOT NULL THEN 6 END
        ) AS reached,
        created_at, mql_at, accepted_at, sql_at, opportunity_at, customer_at,
        epoch(first_contact_at - accepted_at) / 3600.0 AS contact_hours,
        greatest(
            created_at, stage_entered_at, mql_at, accepted_at, sql_at, opportunity_at,
            customer_at
        ) AS latest_at
    FROM leads
    WHERE @these_leads
)
SELECT
    l.lead_id, l.company, l.owner_id, l.campaign_id, l.stage, l.mql, l.accepted,
    coalesce(d.open_amount, 0) AS open_amount,
    coalesce(d.won_amount, 0) AS won_amount,
    coalesce(x.disputes, 0) AS disputes,
    coalesce(x.open_disputes, 0) AS open_disputes,
    coalesce(x.quality_disputes, 0) AS quality_disputes,
    l.stage_dl, l.touch_dl, l.accept_dl, d.deal_dl, d.deal_rule, d.deal_stage,
    least(l.stage_dl, l.touch_dl, l.accept_dl, d.deal_dl) AS stall_at,
    l.reached, l.created_at, l.mql_at, l.accepted_at, l.sql_at, l.opportunity_at,
    l.customer_at, l.contact_hours,
    coalesce(d.won_deals, 0) AS won_deals,
    coalesce(d.closed_deals, 0) AS closed_deals,
    coalesce(d.deal_amount, 0) AS deal_amount,
    coalesce(d.won_max, 0) AS won_max,
    greatest(l.latest_at, d.latest_at) AS latest_at,
    d.deal_list
FROM lead_rules AS l
LEFT JOIN deal_facts AS d ON d.lead_id = l.lead_id
LEFT JOIN dispute_facts AS x ON x.lead_id = l.lead_id
