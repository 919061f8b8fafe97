-- Write the lead plan. Every new lead and every stage change appends stage history in
-- the same transaction, so time-in-stage works across imports.
-- A new lead's history is inquiry (at created_at), then each main-path milestone before
-- its current stage that the export dates (mql_at, accepted_at, sql_at, opportunity_at,
-- customer_at), and opportunity also when the lead has a deal in this import (a deals-only
-- export's derived lead: inquiry -> opportunity -> customer, never inquiry -> customer),
-- then the stage itself. A step whose time is unknown gets moved_at NULL: the export says
-- it happened, not when. Stages with neither a date nor a deal are not invented.
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source)
WITH fresh AS (
    SELECT p.lead_id, p.stage, p.stage_entered_at,
           -- marks strictly before the stage (a side exit: up to what it reached)
           coalesce(list_position(getvariable('imp_funnel'), p.stage),
                    list_position(getvariable('imp_funnel'), p.reached_stage) + 1) AS before_rank,
           [{'r': 1, 's': 'inquiry', 't': p.created_at, 'known': true},
            {'r': 2, 's': 'mql', 't': p.mql_at, 'known': p.mql_at IS NOT NULL},
            {'r': 3, 's': 'sal', 't': p.accepted_at, 'known': p.accepted_at IS NOT NULL},
            {'r': 4, 's': 'sql', 't': p.sql_at, 'known': p.sql_at IS NOT NULL},
            {'r': 5, 's': 'opportunity', 't': p.opportunity_at,
             'known': p.opportunity_at IS NOT NULL OR d.lead_id IS NOT NULL},
            {'r': 6, 's': 'customer', 't': p.customer_at, 'known': p.customer_at IS NOT NULL}]
               AS marks
    FROM imp_leads_plan AS p
    LEFT JOIN (SELECT DISTINCT lead_id FROM imp_deals_plan) AS d USING (lead_id)
    WHERE p.action = 'new'
),
paths AS (
    SELECT lead_id,
           list_filter(marks, x -> x.known AND x.r < before_rank)
               || [{'r': 99, 's': stage, 't': stage_entered_at, 'known': true}] AS path
    FROM fresh
)
SELECT lead_id, from_stage, to_stage, moved_at, 'import', 'import'
FROM (
    SELECT lead_id, i AS step, CASE WHEN i > 1 THEN path[i - 1].s END AS from_stage,
           path[i].s AS to_stage, path[i].t AS moved_at
    FROM paths, range(1, len(path) + 1) AS steps(i)
    UNION ALL
    SELECT lead_id, 1, old_stage, stage, stage_entered_at
    FROM imp_leads_plan
    WHERE action = 'updated' AND stage IS DISTINCT FROM old_stage
)
ORDER BY lead_id, step;
UPDATE leads SET
    company = p.company, contact_name = p.contact_name, email = p.email,
    owner_id = p.owner_id, campaign_id = p.campaign_id, score = p.score, stage = p.stage,
    stage_entered_at = p.stage_entered_at, created_at = p.created_at, mql_at = p.mql_at,
    accepted_at = p.accepted_at, first_contact_at = p.first_contact_at,
    last_touch_at = p.last_touch_at, reason_code = p.reason_code, recycle_on = p.recycle_on,
    reached_stage = p.reached_stage, sql_at = p.sql_at, opportunity_at = p.opportunity_at,
    customer_at = p.customer_at, updated_at = getvariable('imp_now')
FROM imp_leads_plan AS p
WHERE leads.lead_id = p.lead_id AND p.action = 'updated';
INSERT INTO leads BY NAME
SELECT lead_id, external_id, company, contact_name, email, owner_id, campaign_id, score,
       stage, stage_entered_at, created_at, mql_at, accepted_at, first_contact_at,
       last_touch_at, reason_code, recycle_on, reached_stage, sql_at, opportunity_at,
       customer_at, getvariable('imp_now') AS updated_at
FROM imp_leads_plan WHERE action = 'new';
