-- Reached-stage semantics and unknown dates (issue 12). Real CRM exports carry snapshots
-- and gaps: a lead exported at 'sql' has reached inquiry, mql and sal even though no row
-- says when, and a row without a date has an unknown date, not "now".
--
-- * Dates become nullable where an export may not know them: leads.created_at and
--   stage_entered_at, deals.created_at and stage_entered_at, stage_history.moved_at
--   (a move the export says happened, at a time it does not say). Every clock (SLA,
--   ages, "new since") leaves a NULL out instead of inventing a time.
-- * leads.reached_stage: the furthest stage of the main path (inquiry, mql, sal, sql,
--   opportunity, customer; standup/lifecycle.py FUNNEL) the lead has ever reached. A
--   lead in a side exit (recycled, disqualified) keeps what it reached before leaving.
-- * Milestone times beside mql_at and accepted_at (= sal): sql_at, opportunity_at,
--   customer_at. A NULL milestone with reached_stage at or after it means "reached, time
--   unknown"; with reached_stage before it, "not reached".
--
-- deals is rebuilt rather than altered: its secondary index stands in the way of DROP
-- NOT NULL (DuckDB refuses to alter a table other catalog entries depend on), and
-- dropping the index, altering and re-creating it in one transaction aborts DuckDB 1.5.
-- leads and stage_history have only a primary key or no index, which ALTER allows.

CREATE TABLE deals_before_010 AS SELECT * FROM deals;
DROP TABLE deals;
CREATE TABLE deals (
    deal_id          BIGINT PRIMARY KEY,
    external_id      VARCHAR,
    lead_id          BIGINT NOT NULL,
    name             VARCHAR,
    owner_id         INTEGER,
    stage            VARCHAR NOT NULL CHECK (stage IN
        ('qualification', 'proposal', 'negotiation', 'won', 'lost')),
    amount           DECIMAL(14, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    created_at       TIMESTAMP,              -- NULL: the export did not say
    stage_entered_at TIMESTAMP,              -- NULL: the export did not say
    last_touch_at    TIMESTAMP,
    expected_close   DATE,
    closed_at        TIMESTAMP,              -- set when won or lost (NULL if not known)
    updated_at       TIMESTAMP NOT NULL
);
INSERT INTO deals SELECT * FROM deals_before_010 ORDER BY deal_id;
DROP TABLE deals_before_010;
CREATE INDEX deals_lead ON deals (lead_id);

ALTER TABLE leads ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE leads ALTER COLUMN stage_entered_at DROP NOT NULL;
ALTER TABLE stage_history ALTER COLUMN moved_at DROP NOT NULL;

ALTER TABLE leads ADD COLUMN reached_stage VARCHAR;
ALTER TABLE leads ADD COLUMN sql_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN opportunity_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN customer_at TIMESTAMP;

-- Backfill. The funnel order is written out here once, as it stood when this migration
-- was written (a migration is history; the code's copy is standup/lifecycle.py).
-- Rank 1..6 along the main path; side exits have none. updated_at is left alone: the
-- dashboard facts do not depend on these columns, so they stay in step.
UPDATE leads SET
    reached_stage = found.reached,
    sql_at = found.sql_at,
    opportunity_at = found.opportunity_at,
    customer_at = found.customer_at
FROM (
    WITH funnel AS (
        SELECT ['inquiry', 'mql', 'sal', 'sql', 'opportunity', 'customer'] AS stages
    ),
    moves AS (
        SELECT lead_id,
               max(list_position(funnel.stages, to_stage)) AS rank,
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
           funnel.stages[greatest(list_position(funnel.stages, l.stage), m.rank, d.rank)]
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

