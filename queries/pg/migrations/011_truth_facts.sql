-- PostgreSQL dialect of queries/migrations/011_truth_facts.sql (same number, same tables).
-- Dashboard facts that tell the truth on real CRM exports (issue 12): lead_facts and
-- fact_totals gain the reached / milestone / deal columns, fact_days holds the per
-- (measure, stage, day) deltas, and the stage-entry summary of migration 008 goes. See
-- the DuckDB migration for what each column means.
--
-- Team mode keeps these derived tables EMPTY (standup push leaves them out and Postgres
-- writes do not maintain them yet): with no facts_stamp row the panels compute the facts
-- live, so they are right whatever was written. The types are Postgres' for the same
-- columns; deal_list, a DuckDB list of structs, is JSONB here (derived data only).
DROP TABLE stage_entries_daily;
DROP TABLE stage_entries;
DROP TABLE stage_entries_stamp;

DELETE FROM facts_stamp;

DROP TABLE lead_facts;
CREATE TABLE lead_facts (
    lead_id          BIGINT    NOT NULL,
    company          VARCHAR,
    owner_id         INTEGER,
    campaign_id      INTEGER,
    stage            VARCHAR   NOT NULL,
    mql              BOOLEAN   NOT NULL,
    accepted         BOOLEAN   NOT NULL,
    open_amount      DOUBLE PRECISION NOT NULL,
    won_amount       DOUBLE PRECISION NOT NULL,
    disputes         BIGINT    NOT NULL,
    open_disputes    BIGINT    NOT NULL,
    quality_disputes BIGINT    NOT NULL,
    stage_dl         TIMESTAMP,
    touch_dl         TIMESTAMP,
    accept_dl        TIMESTAMP,
    deal_dl          TIMESTAMP,
    deal_rule        VARCHAR,
    deal_stage       VARCHAR,
    stall_at         TIMESTAMP,
    reached          INTEGER,             -- rank 1..6 of reached_stage (NULL: none)
    created_at       TIMESTAMP,           -- milestone times (NULL: unknown / not reached)
    mql_at           TIMESTAMP,
    accepted_at      TIMESTAMP,
    sql_at           TIMESTAMP,
    opportunity_at   TIMESTAMP,
    customer_at      TIMESTAMP,
    contact_hours    DOUBLE PRECISION,    -- accepted -> first contact (NULL: none / unknown)
    won_deals        BIGINT    NOT NULL,
    closed_deals     BIGINT    NOT NULL,  -- won + lost
    deal_amount      DOUBLE PRECISION NOT NULL,  -- all its deals' value (sourced pipeline)
    won_max          DOUBLE PRECISION NOT NULL,  -- its biggest won deal (0: none)
    latest_at        TIMESTAMP,           -- the latest time the lead or its deals know of
    -- [{stage, amount, created_at, closed_at, expected_close}] (DuckDB: STRUCT(...)[])
    deal_list        JSONB
);
CREATE INDEX lead_facts_lead ON lead_facts (lead_id);

DROP TABLE fact_totals;
CREATE TABLE fact_totals (
    campaign_id      INTEGER,
    stage            VARCHAR NOT NULL,
    leads            BIGINT  NOT NULL,
    mqls             BIGINT  NOT NULL,
    accepted         BIGINT  NOT NULL,
    open_amount      DOUBLE PRECISION NOT NULL,
    won_amount       DOUBLE PRECISION NOT NULL,
    disputes         BIGINT  NOT NULL,
    quality_disputes BIGINT  NOT NULL,
    reached_mql      BIGINT  NOT NULL,
    reached_sal      BIGINT  NOT NULL,
    reached_customer BIGINT  NOT NULL,
    won_deals        BIGINT  NOT NULL,
    closed_deals     BIGINT  NOT NULL,
    deal_amount      DOUBLE PRECISION NOT NULL,
    won_max          DOUBLE PRECISION,
    latest_at        TIMESTAMP
);

CREATE TABLE fact_days (
    measure VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,
    day     DATE,
    bucket  INTEGER,
    n       BIGINT  NOT NULL,
    amount  DOUBLE PRECISION
);
