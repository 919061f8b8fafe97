-- Dashboard facts that tell the truth on real CRM exports (issue 12, the panels' side).
-- Builds on migration 010 (leads.reached_stage and the milestone times).
--
-- lead_facts gains, per lead: how far along the main path it got (reached, the rank
-- 1..6 of leads.reached_stage), its milestone times (created_at for inquiry, mql_at,
-- accepted_at for sal, sql_at, opportunity_at, customer_at; NULL = reached at an
-- unknown time, or not reached), hours from acceptance to first contact, deal counts
-- and money (won, closed, all deals, the biggest won deal), the latest time it or its
-- deals know of (so a refresh can tell whether --as-of lies before some of the data),
-- and its deals' dates and amounts (the source of fact_days' deal measures).
--
-- fact_totals gains the same per (campaign, stage), summed: leads that reached mql,
-- sal and customer, won and closed deals, all deal value, and the maxima of the
-- biggest won deal and the latest time (maxima over every row ever appended: an upper
-- bound that a restamp makes exact; won deals do not shrink in practice).
--
-- fact_days holds per (measure, stage, day) append-only deltas, so the cohort
-- conversion and speed-to-lead of any window read a few thousand rows:
--   measure 'reached':  leads whose milestone of `stage` fell on `day` (NULL day: time
--                        unknown)
--   measure 'advanced': ... of them, those that went on to the next main-path stage
--   measure 'contact':  accepted (sal) leads by day of acceptance and whole hours to
--                        first contact (`bucket`, capped at 168; -1: not contacted yet)
--   measure 'won':      won deals by day closed, `bucket` whole days created -> closed
--                        (capped at 730; -1: created date unknown), with `amount`
--   measure 'lost':     lost deals by day closed
--   measure 'created':  deals by day created, with `amount`
--   measure 'due':      open deals by expected close date, with `amount`
-- Days are calendar days: exact while no time in the data lies after now (the panels
-- check fact_totals.latest_at and otherwise read the deals themselves).
--
-- The Pipeline panel's conversion is now a cohort measure from fact_days, so the stage-
-- entry summary of migration 008 (a flow measure, and unable to hold the unknown move
-- times of migration 010) has no reader left and goes.
DROP TABLE stage_entries_daily;
DROP TABLE stage_entries;
DROP TABLE stage_entries_stamp;

-- The stored facts change shape, so the stamp is dropped: the panels compute live until
-- the app (or the demo) restamps.
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
    open_amount      DOUBLE    NOT NULL,
    won_amount       DOUBLE    NOT NULL,
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
    contact_hours    DOUBLE,              -- accepted -> first contact (NULL: none / unknown)
    won_deals        BIGINT    NOT NULL,
    closed_deals     BIGINT    NOT NULL,  -- won + lost
    deal_amount      DOUBLE    NOT NULL,  -- all its deals' value (sourced pipeline)
    won_max          DOUBLE    NOT NULL,  -- its biggest won deal (0: none)
    latest_at        TIMESTAMP,           -- the latest time the lead or its deals know of
    deal_list        STRUCT(stage VARCHAR, amount DOUBLE, created_at TIMESTAMP,
                            closed_at TIMESTAMP, expected_close DATE)[]  -- for fact_days
);
CREATE INDEX lead_facts_lead ON lead_facts (lead_id);

DROP TABLE fact_totals;
CREATE TABLE fact_totals (
    campaign_id      INTEGER,
    stage            VARCHAR NOT NULL,
    leads            BIGINT  NOT NULL,
    mqls             BIGINT  NOT NULL,
    accepted         BIGINT  NOT NULL,
    open_amount      DOUBLE  NOT NULL,
    won_amount       DOUBLE  NOT NULL,
    disputes         BIGINT  NOT NULL,
    quality_disputes BIGINT  NOT NULL,
    reached_mql      BIGINT  NOT NULL,
    reached_sal      BIGINT  NOT NULL,
    reached_customer BIGINT  NOT NULL,
    won_deals        BIGINT  NOT NULL,
    closed_deals     BIGINT  NOT NULL,
    deal_amount      DOUBLE  NOT NULL,
    won_max          DOUBLE,
    latest_at        TIMESTAMP
);

CREATE TABLE fact_days (
    measure VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,
    day     DATE,
    bucket  INTEGER,
    n       BIGINT  NOT NULL,
    amount  DOUBLE
);
