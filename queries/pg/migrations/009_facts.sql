-- PostgreSQL dialect of queries/migrations/009_facts.sql (same number, same tables).
-- Dashboard facts (issue 3: every panel at 1M leads in <= 60 ms). Replaces the stored
-- deadlines of migration 002, whose freshness check alone scanned two columns of every
-- lead on each refresh.
--
-- lead_facts holds, per lead, everything the Pipeline, Campaigns and Stalled panels
-- aggregate (stage, campaign, MQL/accepted, deal money, dispute counts, SLA deadlines),
-- computed by facts/live.sql. fact_totals holds those facts summed per (campaign, stage)
-- as append-only deltas: a restamp writes one row per group, and every later write
-- appends the change (minus the lead's old facts, plus its new ones), so readers sum a
-- few hundred rows instead of a million. Writers keep both in step in the same
-- transaction as their change (standup.facts.refresh_leads); facts_stamp says which SLA
-- the deadlines follow and what the tables looked like, so a write by anything else
-- (another tool on the file) is noticed and the panels fall back to computing live.
DROP TABLE lead_deadlines;
DROP TABLE sla_stamp;

CREATE TABLE lead_facts (
    lead_id          BIGINT    NOT NULL,
    company          VARCHAR,             -- labels, so a panel never looks up `leads`
    owner_id         INTEGER,
    campaign_id      INTEGER,
    stage            VARCHAR   NOT NULL,
    mql              BOOLEAN   NOT NULL,  -- became an MQL (mql_at set)
    accepted         BOOLEAN   NOT NULL,  -- sales accepted it (accepted_at set)
    open_amount      DOUBLE PRECISION    NOT NULL,  -- its open deals' value
    won_amount       DOUBLE PRECISION    NOT NULL,  -- its won deals' value
    disputes         BIGINT    NOT NULL,  -- disputes ever raised on it
    open_disputes    BIGINT    NOT NULL,  -- ... of them still open or escalated
    quality_disputes BIGINT    NOT NULL,  -- ... of them by sales (lead quality)
    stage_dl         TIMESTAMP,           -- SLA: entered its stage + the stage's days
    touch_dl         TIMESTAMP,           -- SLA: last touch + no_touch_days (worked stages)
    accept_dl        TIMESTAMP,           -- SLA: became an MQL + accept_mql_hours (mql)
    deal_dl          TIMESTAMP,           -- earliest deadline of its open deals
    deal_rule        VARCHAR,             -- which deal rule that is
    deal_stage       VARCHAR,             -- stage of its biggest open deal
    stall_at         TIMESTAMP            -- the earliest of all: stalled once now passes it
);
-- Writers replace a lead's facts by id. A restamp stores leads with open disputes first,
-- then by open_amount, so the Disputes and Stalled panels' filters on those columns read
-- one row group (zone maps) instead of a million random leads.
CREATE INDEX lead_facts_lead ON lead_facts (lead_id);

CREATE TABLE fact_totals (
    campaign_id      INTEGER,
    stage            VARCHAR NOT NULL,
    leads            BIGINT  NOT NULL,
    mqls             BIGINT  NOT NULL,
    accepted         BIGINT  NOT NULL,
    open_amount      DOUBLE PRECISION  NOT NULL,
    won_amount       DOUBLE PRECISION  NOT NULL,
    disputes         BIGINT  NOT NULL,
    quality_disputes BIGINT  NOT NULL
);

CREATE TABLE facts_stamp (
    sla            VARCHAR   NOT NULL,  -- JSON of the SLA config the deadlines follow
    stamped_at     TIMESTAMP NOT NULL,  -- wall-clock time of the restamp
    leads          BIGINT    NOT NULL,  -- the watermark: rows and newest updated_at of the
    deals          BIGINT    NOT NULL,  -- tables the facts come from, as of the last write
    disputes       BIGINT    NOT NULL,  -- that kept the facts in step
    leads_updated  TIMESTAMP,
    deals_updated  TIMESTAMP
);
