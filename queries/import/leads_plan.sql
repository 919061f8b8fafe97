-- What happens to each valid lead row: new, updated or unchanged, with its lead_id.
-- A lead matches by external id. Columns the mapping does not provide keep their stored
-- value. Dates the export does not give stay unknown (NULL): a new lead's stage clock
-- starts at the export's stage_entered_at, else the milestone of its stage, else nowhere.
-- A stage change the import sees on a stored lead is dated at the export's time, else at
-- $now (the import's as-of: when it was seen).
-- Never backwards (issue 12): an import does not move a stored lead to a main-path stage
-- below the furthest one it has reached (leads.reached_stage, e.g. made customer by a won
-- deal), and never moves a customer; so re-importing the leads and deals files in any
-- order settles instead of flip-flopping. reached_stage is the furthest of the stored
-- one, the stage and every milestone the export dates; sql_at / opportunity_at /
-- customer_at keep the earliest time any import gave (getvariable('imp_funnel'): standup.lifecycle).
CREATE OR REPLACE TEMP TABLE imp_leads_plan AS
WITH valid AS (
    SELECT v.* FROM imp_leads AS v
    ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line
),
matched AS (
    SELECT v.*, e.lead_id AS existing_id, ck.campaign_id AS campaign_id
    FROM valid AS v
    LEFT JOIN (
        -- external ids are not unique in the table (hand-made rows): take the first
        SELECT external_id, min(lead_id) AS lead_id FROM leads
        WHERE external_id IS NOT NULL GROUP BY external_id
    ) AS e ON e.external_id = v.external_id
    LEFT JOIN imp_campaign_keys AS ck ON ck.key = lower(v.campaign)
),
numbered AS (
    -- New ids follow the rows' places in the import (imp_files.row_offset + line): unique
    -- and repeatable without numbering a million rows in a window; gaps are harmless.
    SELECT m.*,
           CASE WHEN m.existing_id IS NULL THEN
               (SELECT coalesce(max(lead_id), 0) FROM leads) + f.row_offset + m.line
           END AS new_id
    FROM matched AS m
    JOIN imp_files AS f ON f.file = m.file
),
merged AS (
    SELECT
        m.file, m.line,
        coalesce(m.existing_id, m.new_id) AS lead_id,
        m.existing_id IS NULL AS is_new,
        m.external_id,
        CASE WHEN list_contains($mapped, 'company') THEN m.company ELSE e.company END AS company,
        CASE WHEN list_contains($mapped, 'contact_name') THEN m.contact_name
             ELSE e.contact_name END AS contact_name,
        CASE WHEN list_contains($mapped, 'email') THEN m.email ELSE e.email END AS email,
        CASE WHEN list_contains($mapped, 'owner') THEN m.v_owner ELSE e.owner_id END AS owner_id,
        CASE WHEN list_contains($mapped, 'campaign') THEN m.campaign_id
             ELSE e.campaign_id END AS campaign_id,
        CASE WHEN list_contains($mapped, 'score') THEN m.v_score ELSE e.score END AS score,
        CASE
            WHEN e.lead_id IS NOT NULL
             AND (e.stage = 'customer'
                  OR list_position(getvariable('imp_funnel'), m.v_stage) < list_position(getvariable('imp_funnel'), e.reached_stage))
                THEN e.stage
            ELSE m.v_stage
        END AS stage,
        m.v_stage AS given_stage,
        e.stage AS old_stage,
        CASE m.v_stage
            WHEN 'inquiry' THEN m.v_created_at WHEN 'mql' THEN m.v_mql_at
            WHEN 'sal' THEN m.v_accepted_at WHEN 'sql' THEN m.v_sql_at
            WHEN 'opportunity' THEN m.v_opportunity_at WHEN 'customer' THEN m.v_customer_at
        END AS given_milestone,
        m.v_stage_entered_at AS given_entered,
        coalesce(m.v_created_at, e.created_at) AS created_at,
        m.v_created_at IS NULL AS no_created_date,
        least(m.v_sql_at, e.sql_at) AS sql_at_given,
        least(m.v_opportunity_at, e.opportunity_at) AS opportunity_at_given,
        least(m.v_customer_at, e.customer_at) AS customer_at_given,
        CASE WHEN list_contains($mapped, 'mql_at') THEN m.v_mql_at ELSE e.mql_at END
            AS mql_at_given,
        CASE WHEN list_contains($mapped, 'accepted_at') THEN m.v_accepted_at
             ELSE e.accepted_at END AS accepted_at_given,
        CASE WHEN list_contains($mapped, 'first_contact_at') THEN m.v_first_contact_at
             ELSE e.first_contact_at END AS first_contact_at,
        CASE WHEN list_contains($mapped, 'last_touch_at') THEN m.v_last_touch_at
             ELSE e.last_touch_at END AS last_touch_at,
        CASE WHEN list_contains($mapped, 'reason_code') THEN m.reason_code
             ELSE e.reason_code END AS reason_code,
        CASE WHEN list_contains($mapped, 'recycle_on') THEN m.v_recycle_on
             ELSE e.recycle_on END AS recycle_on,
        e AS old
    FROM numbered AS m
    LEFT JOIN leads AS e ON e.lead_id = m.existing_id
),
entered AS (
    SELECT * EXCLUDE (given_milestone, given_entered),
           CASE
               WHEN is_new THEN coalesce(given_entered, given_milestone)
               WHEN stage = old_stage THEN
                   CASE WHEN given_stage = stage THEN coalesce(given_entered, old.stage_entered_at)
                        ELSE old.stage_entered_at END
               ELSE coalesce(given_entered, given_milestone, $now)
           END AS stage_entered_at
    FROM merged
),
dated AS (
    -- A lead sitting in a stage with no milestone time in the export got there when it
    -- entered the stage (if that is known): the SLA clocks need the time.
    SELECT * EXCLUDE (mql_at_given, accepted_at_given, sql_at_given, opportunity_at_given,
                      customer_at_given),
           CASE WHEN mql_at_given IS NULL AND stage = 'mql' THEN stage_entered_at
                ELSE mql_at_given END AS mql_at,
           CASE WHEN accepted_at_given IS NULL AND stage = 'sal' THEN stage_entered_at
                ELSE accepted_at_given END AS accepted_at,
           CASE WHEN sql_at_given IS NULL AND stage = 'sql' THEN stage_entered_at
                ELSE sql_at_given END AS sql_at,
           CASE WHEN opportunity_at_given IS NULL AND stage = 'opportunity' THEN stage_entered_at
                ELSE opportunity_at_given END AS opportunity_at,
           CASE WHEN customer_at_given IS NULL AND stage = 'customer' THEN stage_entered_at
                ELSE customer_at_given END AS customer_at
    FROM entered
),
reached AS (
    -- every lead has reached inquiry; a stage or a dated milestone says how far beyond
    SELECT *,
           getvariable('imp_funnel')[greatest(
               1,
               list_position(getvariable('imp_funnel'), old.reached_stage),
               list_position(getvariable('imp_funnel'), stage),
               CASE WHEN mql_at IS NOT NULL THEN 2 END,
               CASE WHEN accepted_at IS NOT NULL THEN 3 END,
               CASE WHEN sql_at IS NOT NULL THEN 4 END,
               CASE WHEN opportunity_at IS NOT NULL THEN 5 END,
               CASE WHEN customer_at IS NOT NULL THEN 6 END
           )] AS reached_stage
    FROM dated
)
SELECT
    * EXCLUDE (old),
    CASE
        WHEN is_new THEN 'new'
        WHEN (company, contact_name, email, owner_id, campaign_id, score, stage,
              stage_entered_at, created_at, mql_at, accepted_at, first_contact_at,
              last_touch_at, reason_code, recycle_on, reached_stage, sql_at,
              opportunity_at, customer_at)
             IS NOT DISTINCT FROM
             (old.company, old.contact_name, old.email, old.owner_id, old.campaign_id,
              old.score, old.stage, old.stage_entered_at, old.created_at, old.mql_at,
              old.accepted_at, old.first_contact_at, old.last_touch_at, old.reason_code,
              old.recycle_on, old.reached_stage, old.sql_at, old.opportunity_at,
              old.customer_at)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM reached;
