-- standup check, what is wrong with each lead on its own: one boolean per check
-- (spliced into check/lead_counts.sql and check/lead_examples.sql, so each rule is
-- written once). No joins: a join probes every lead, tripling the cost of the pass at 1M
-- (the checks against deals are check/lead_deals.sql, from the small sides). Reached means reached_stage (migration 010), else the current stage;
-- ranks are positions in $funnel (inquiry 1 .. customer 6).
WITH l AS (
    SELECT
        lead_id, stage, created_at, stage_entered_at, mql_at, accepted_at, sql_at,
        opportunity_at, customer_at, owner_id, campaign_id,
        coalesce(list_position($funnel, reached_stage), list_position($funnel, stage), 0)
            AS reached
    FROM leads
)
SELECT
    l.lead_id,
    l.created_at IS NULL AS no_created_at,
    l.stage_entered_at IS NULL AS no_stage_entered_at,
    -- a milestone the lead has reached without its time
    l.reached >= 2 AND l.mql_at IS NULL AS no_mql_at,
    l.reached >= 3 AND l.accepted_at IS NULL AS no_accepted_at,
    l.reached >= 4 AND l.sql_at IS NULL AS no_sql_at,
    l.reached >= 5 AND l.opportunity_at IS NULL AS no_opportunity_at,
    l.reached >= 6 AND l.customer_at IS NULL AS no_customer_at,
    -- handed to sales (reached mql) without an owner; an inquiry is still marketing's
    l.reached >= 2 AND l.owner_id IS NULL AS no_owner,
    l.campaign_id IS NULL AS no_campaign
FROM l
