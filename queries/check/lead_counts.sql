-- standup check: how many leads fail each check (the flags of check/lead_flags.sql), in
-- the order of standup.check.LEAD_CHECKS. Counts only: the dashboard's warning line
-- needs no examples, and listing them triples the cost of the pass.
SELECT
    count(*) FILTER (WHERE no_created_at),
    count(*) FILTER (WHERE no_stage_entered_at),
    count(*) FILTER (WHERE no_mql_at),
    count(*) FILTER (WHERE no_accepted_at),
    count(*) FILTER (WHERE no_sql_at),
    count(*) FILTER (WHERE no_opportunity_at),
    count(*) FILTER (WHERE no_customer_at),
    count(*) FILTER (WHERE no_owner),
    count(*) FILTER (WHERE no_campaign)
FROM (@lead_flags)
