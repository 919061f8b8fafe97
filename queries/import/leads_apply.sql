-- Write the lead plan. Every new lead and every stage change appends stage history in
-- the same transaction, so time-in-stage works across imports.
-- A new lead's history is the milestones the export dates before its current stage
-- (created -> inquiry, mql_at -> mql, accepted_at -> sal), then the stage itself, so the
-- funnel's conversions count it; stages the export gives no date for are not invented.
-- (Readers order a lead's history by moved_at, so rows need not be inserted in order.)
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source)
WITH fresh AS (
    SELECT lead_id, stage, stage_entered_at, created_at, mql_at, accepted_at,
           coalesce(stage <> 'inquiry' AND created_at < stage_entered_at, false) AS was_inq,
           coalesce(stage NOT IN ('inquiry', 'mql') AND mql_at < stage_entered_at, false)
               AS was_mql,
           coalesce(stage IN ('sql', 'opportunity', 'customer', 'disqualified')
                    AND accepted_at < stage_entered_at, false) AS was_sal
    FROM imp_leads_plan WHERE action = 'new'
)
SELECT lead_id, NULL, 'inquiry', created_at, 'import', 'import' FROM fresh WHERE was_inq
UNION ALL
SELECT lead_id, CASE WHEN was_inq THEN 'inquiry' END, 'mql', mql_at, 'import', 'import'
FROM fresh WHERE was_mql
UNION ALL
SELECT lead_id, CASE WHEN was_mql THEN 'mql' WHEN was_inq THEN 'inquiry' END, 'sal',
       accepted_at, 'import', 'import'
FROM fresh WHERE was_sal
UNION ALL
SELECT lead_id,
       CASE WHEN was_sal THEN 'sal' WHEN was_mql THEN 'mql' WHEN was_inq THEN 'inquiry' END,
       stage, stage_entered_at, 'import', 'import'
FROM fresh
UNION ALL
SELECT lead_id, old_stage, stage, stage_entered_at, 'import', 'import'
FROM imp_leads_plan
WHERE action = 'updated' AND stage IS DISTINCT FROM old_stage;
UPDATE leads SET
    company = p.company, contact_name = p.contact_name, email = p.email,
    owner_id = p.owner_id, campaign_id = p.campaign_id, score = p.score, stage = p.stage,
    stage_entered_at = p.stage_entered_at, created_at = p.created_at, mql_at = p.mql_at,
    accepted_at = p.accepted_at, first_contact_at = p.first_contact_at,
    last_touch_at = p.last_touch_at, reason_code = p.reason_code, recycle_on = p.recycle_on,
    updated_at = getvariable('imp_now')
FROM imp_leads_plan AS p
WHERE leads.lead_id = p.lead_id AND p.action = 'updated';
INSERT INTO leads BY NAME
SELECT lead_id, external_id, company, contact_name, email, owner_id, campaign_id, score,
       stage, stage_entered_at, created_at, mql_at, accepted_at, first_contact_at,
       last_touch_at, reason_code, recycle_on, getvariable('imp_now') AS updated_at
FROM imp_leads_plan WHERE action = 'new';
