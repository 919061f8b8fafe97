-- PostgreSQL dialect of queries/migrations/010_reached.sql (same number, same tables).
-- Reached-stage semantics and unknown dates (issue 12): dates an export may not know
-- become nullable (leads.created_at / stage_entered_at, deals.created_at /
-- stage_entered_at, stage_history.moved_at), and leads gain reached_stage (the furthest
-- main-path stage ever reached) and the milestone times sql_at, opportunity_at,
-- customer_at. See the DuckDB migration for what a NULL means.
--
-- Postgres drops NOT NULL in place, indexes or not, so deals is altered, not rebuilt
-- (the DuckDB migration rebuilds it only because DuckDB refuses the ALTER).
ALTER TABLE deals ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE deals ALTER COLUMN stage_entered_at DROP NOT NULL;

ALTER TABLE leads ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE leads ALTER COLUMN stage_entered_at DROP NOT NULL;
ALTER TABLE stage_history ALTER COLUMN moved_at DROP NOT NULL;

ALTER TABLE leads ADD COLUMN reached_stage VARCHAR;
ALTER TABLE leads ADD COLUMN sql_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN opportunity_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN customer_at TIMESTAMP;

-- Backfill, as the DuckDB migration does (its funnel order written out once; rank 1..6
-- along the main path, side exits have none). array_position is DuckDB's list_position;
-- greatest / least skip NULLs in both engines.
UPDATE leads SET
    reached_stage = found.reached,
    sql_at = found.sql_at,
    opportunity_at = found.opportunity_at,
    customer_at = found.customer_at
FROM (
    WITH funnel AS (
        SELECT ARRAY['inquiry', 'mql', 'sal', 'sql', 'opportunity', 'customer']::text[]
            AS stages
    ),
    moves AS (
        SELECT lead_id,
               max(array_position(funnel.stages, to_stage::text)) AS rank,
               min(moved_at) FILTER (WHERE to_stage = 'sql') AS sql_at,
               min(moved_at) FILTER (WHERE to_stage = 'opportunity') AS opportunity_at,
               min(moved_at) FILTER (WHERE to_stage = 'customer') AS customer_at
        FROM stage_history, funnel
        GROUP BY lead_id
    ),
    deal_marks AS (
        SELECT lead_id,
               max(CASE WHEN stage = 'won' THEN 6 ELSE 5 END) AS rank,
               min(created_at) AS opened_at,
               min(closed_at) FILTER (WHERE stage = 'won') AS won_at
        FROM deals
        GROUP BY lead_id
    )
    SELECT l.lead_id,
           funnel.stages[greatest(array_position(funnel.stages, l.stage::text), m.rank, d.rank)]
               AS reached,
           m.sql_at,
           least(m.opportunity_at, d.opened_at) AS opportunity_at,
           least(m.customer_at, d.won_at) AS customer_at
    FROM leads AS l
    CROSS JOIN funnel
    LEFT JOIN moves AS m USING (lead_id)
    LEFT JOIN deal_marks AS d USING (lead_id)
) AS found
WHERE leads.lead_id = found.lead_id;
