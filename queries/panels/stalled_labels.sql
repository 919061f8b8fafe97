-- Stalled panel, the labels of the rows shown: for the leads @lead_ids (a literal list of
-- ids, so DuckDB looks them up in the primary-key index instead of scanning every lead),
-- company, stage, owner and campaign names, each SLA rule's deadline (the caller says
-- which one fired), and the biggest open deal's stage with the deal rule that fires first.
WITH their_deals AS MATERIALIZED (
    -- by id alone, so the index serves it (with the stage filter beside it DuckDB scans)
    SELECT lead_id, stage, amount, stage_entered_at, last_touch_at
    FROM deals
    WHERE lead_id IN (@lead_ids)
), deal_sla AS (
    SELECT unnest($deal_stages) AS stage, unnest($deal_days) AS days
), deal_deadlines AS (
    SELECT
        d.lead_id, d.stage, d.amount,
        d.stage_entered_at + to_days(s.days) AS stage_dl,
        coalesce(d.last_touch_at, d.stage_entered_at) + to_days($no_touch_days) AS touch_dl
    FROM their_deals AS d
    LEFT JOIN deal_sla AS s ON s.stage = d.stage
    WHERE d.stage NOT IN ('won', 'lost')
), deal_labels AS (
    SELECT
        lead_id,
        arg_max(stage, amount) AS deal_stage,
        arg_min(
            CASE WHEN touch_dl < stage_dl OR stage_dl IS NULL THEN 'deal untouched'
                 ELSE 'deal in stage' END,
            least(stage_dl, touch_dl)
        ) AS deal_rule
    FROM deal_deadlines
    GROUP BY lead_id
), lead_labels AS MATERIALIZED (
    SELECT
        lead_id, company, stage, owner_id, campaign_id,
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
        END AS accept_dl
    FROM leads
    WHERE lead_id IN (@lead_ids)
)
SELECT
    l.lead_id, l.company, l.stage, p.name AS owner, c.name AS campaign,
    l.stage_dl, l.touch_dl, l.accept_dl, x.deal_stage, x.deal_rule
FROM lead_labels AS l
LEFT JOIN deal_labels AS x ON x.lead_id = l.lead_id
LEFT JOIN people AS p ON p.person_id = l.owner_id
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
