-- PostgreSQL twin of queries/facts/live.sql: every dashboard fact of some leads, computed
-- from leads, deals and disputes as they are now, under the SLA the stored facts are
-- stamped with (facts_stamp.sla, the JSON of the config's SLA). The rules are the same,
-- line for line; tests/test_team_facts.py checks that both engines store the same facts.
-- The leads filter is spliced in: "lead_id = ANY(ids)" in the triggers' refresh (the
-- indexes serve it) or true for a restamp; so is the main path (standup/lifecycle.py).
-- Ties are broken by deal_id, as on DuckDB: the biggest open deal, the earliest deadline.
WITH sla AS (
    SELECT s.sla::jsonb AS j FROM facts_stamp AS s LIMIT 1
), their_deals AS (
    SELECT
        lead_id, deal_id, stage, amount::DOUBLE PRECISION AS amount,
        stage NOT IN ('won', 'lost') AS open, created_at, closed_at, expected_close,
        stage_entered_at
            + make_interval(days => (sla.j -> 'deal_stage_days' ->> stage)::INTEGER) AS stage_dl,
        coalesce(last_touch_at, stage_entered_at)
            + make_interval(days => (sla.j ->> 'no_touch_days')::INTEGER) AS touch_dl
    FROM deals, sla
    WHERE @these_leads
), deal_facts AS (
    SELECT
        lead_id,
        coalesce(sum(amount) FILTER (WHERE open), 0) AS open_amount,
        coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0) AS won_amount,
        min(least(stage_dl, touch_dl)) FILTER (WHERE open) AS deal_dl,
        (array_agg(
            CASE WHEN touch_dl < stage_dl OR stage_dl IS NULL THEN 'deal untouched'
                 ELSE 'deal in stage' END
            ORDER BY least(stage_dl, touch_dl), deal_id
        ) FILTER (WHERE open AND least(stage_dl, touch_dl) IS NOT NULL))[1] AS deal_rule,
        (array_agg(stage ORDER BY amount DESC, deal_id) FILTER (WHERE open))[1] AS deal_stage,
        count(*) FILTER (WHERE stage = 'won') AS won_deals,
        count(*) FILTER (WHERE NOT open) AS closed_deals,
        coalesce(sum(amount), 0) AS deal_amount,
        coalesce(max(amount) FILTER (WHERE stage = 'won'), 0) AS won_max,
        greatest(max(created_at), max(closed_at)) AS latest_at,
        jsonb_agg(jsonb_build_object(
            'stage', stage, 'amount', amount, 'created_at', created_at,
            'closed_at', closed_at, 'expected_close', expected_close
        ) ORDER BY deal_id) AS deal_list
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
        lead_id, company, owner_id, campaign_id, stage, mql_at IS NOT NULL AS mql,
        accepted_at IS NOT NULL AS accepted,
        stage_entered_at + make_interval(days => CASE
            WHEN stage IN ('inquiry', 'mql', 'sal', 'sql', 'opportunity')
            THEN (sla.j -> 'stage_days' ->> stage)::INTEGER END) AS stage_dl,
        CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(last_touch_at, stage_entered_at)
                + make_interval(days => (sla.j ->> 'no_touch_days')::INTEGER)
        END AS touch_dl,
        CASE WHEN stage = 'mql' THEN
            coalesce(mql_at, stage_entered_at)
                + make_interval(hours => (sla.j ->> 'accept_mql_hours')::INTEGER)
        END AS accept_dl,
        greatest(
            array_position(@funnel, reached_stage),
            array_position(@funnel, stage),
            CASE WHEN mql_at IS NOT NULL THEN 2 END,
            CASE WHEN accepted_at IS NOT NULL THEN 3 END,
            CASE WHEN sql_at IS NOT NULL THEN 4 END,
            CASE WHEN opportunity_at IS NOT NULL THEN 5 END,
            CASE WHEN customer_at IS NOT NULL THEN 6 END
        ) AS reached,
        created_at, mql_at, accepted_at, sql_at, opportunity_at, customer_at,
        extract(epoch FROM first_contact_at - accepted_at)::DOUBLE PRECISION / 3600.0
            AS contact_hours,
        greatest(
            created_at, stage_entered_at, mql_at, accepted_at, sql_at, opportunity_at,
            customer_at
        ) AS latest_at
    FROM leads, sla
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
