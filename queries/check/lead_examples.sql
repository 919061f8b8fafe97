-- standup check: the first $examples lead ids failing each check (the flags of
-- check/lead_flags.sql), in the order of standup.check.LEAD_CHECKS; their CRM ids are
-- looked up afterwards, by id (building an id string for every lead costs more).
SELECT
    min(lead_id, $examples) FILTER (WHERE no_created_at),
    min(lead_id, $examples) FILTER (WHERE no_stage_entered_at),
    min(lead_id, $examples) FILTER (WHERE no_mql_at),
    min(lead_id, $examples) FILTER (WHERE no_accepted_at),
    min(lead_id, $examples) FILTER (WHERE no_sql_at),
    min(lead_id, $examples) FILTER (WHERE no_opportunity_at),
    min(lead_id, $examples) FILTER (WHERE no_customer_at),
    min(lead_id, $examples) FILTER (WHERE no_owner),
    min(lead_id, $examples) FILTER (WHERE no_campaign)
FROM (@lead_flags)
