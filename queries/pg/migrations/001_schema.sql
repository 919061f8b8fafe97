-- PostgreSQL dialect of queries/migrations/001_schema.sql (same number, same tables).
-- The whole domain of DESIGN.md. Times are naive UTC TIMESTAMPs.
--
-- No FOREIGN KEY constraints on purpose: DuckDB implements UPDATE on an indexed row as
-- delete + insert, so a referenced parent row (a lead with disputes) could not have its
-- stage updated. References are checked by the code that writes them (triage, import).
-- Primary keys are kept where point look-ups happen (triage by dispute / lead id).

CREATE TABLE schema_version (
    version     INTEGER   NOT NULL,
    name        VARCHAR   NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT localtimestamp
);

CREATE TABLE people (
    person_id   INTEGER PRIMARY KEY,
    external_id VARCHAR,
    name        VARCHAR NOT NULL,
    email       VARCHAR,
    team        VARCHAR NOT NULL CHECK (team IN ('sales', 'marketing', 'revops')),
    title       VARCHAR,
    active      BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE campaigns (
    campaign_id INTEGER PRIMARY KEY,
    external_id VARCHAR,
    name        VARCHAR NOT NULL,
    channel     VARCHAR,
    owner_id    INTEGER,                      -- people.person_id (marketing)
    started_on  DATE,
    ended_on    DATE,
    spend       DECIMAL(14, 2) NOT NULL DEFAULT 0 CHECK (spend >= 0)
);

-- Reason codes are data: each has a category and the default action triage proposes.
CREATE TABLE reason_codes (
    code            VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL CHECK (kind IN ('reject', 'disqualify', 'dispute', 'recycle')),
    category        VARCHAR NOT NULL,     -- procedural / clerical / definitional / qualification / quality / follow_up
    label           VARCHAR NOT NULL,
    default_action  VARCHAR NOT NULL
        CHECK (default_action IN ('reroute', 'return_to_marketing', 'recycle', 'disqualify', 'fix_data', 'accept')),
    recycle_days    INTEGER CHECK (recycle_days IS NULL OR recycle_days > 0),
    active          BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE leads (
    lead_id          BIGINT PRIMARY KEY,
    external_id      VARCHAR,
    company          VARCHAR,
    contact_name     VARCHAR,
    email            VARCHAR,
    owner_id         INTEGER,                -- people.person_id (sales rep once handed over)
    campaign_id      INTEGER,                -- first-touch campaign
    score            INTEGER,
    stage            VARCHAR NOT NULL CHECK (stage IN
        ('inquiry', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified')),
    stage_entered_at TIMESTAMP NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    mql_at           TIMESTAMP,              -- handed to sales
    accepted_at      TIMESTAMP,              -- sales accepted (sal)
    first_contact_at TIMESTAMP,
    last_touch_at    TIMESTAMP,
    reason_code      VARCHAR,                -- why rejected / disqualified / recycled
    recycle_on       DATE,                   -- revisit date while recycled
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE deals (
    deal_id          BIGINT PRIMARY KEY,
    external_id      VARCHAR,
    lead_id          BIGINT NOT NULL,
    name             VARCHAR,
    owner_id         INTEGER,
    stage            VARCHAR NOT NULL CHECK (stage IN
        ('qualification', 'proposal', 'negotiation', 'won', 'lost')),
    amount           DECIMAL(14, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    created_at       TIMESTAMP NOT NULL,
    stage_entered_at TIMESTAMP NOT NULL,
    last_touch_at    TIMESTAMP,
    expected_close   DATE,
    closed_at        TIMESTAMP,              -- set when won or lost
    updated_at       TIMESTAMP NOT NULL
);

CREATE SEQUENCE touch_ids START 1;
CREATE TABLE touches (
    touch_id   BIGINT NOT NULL DEFAULT nextval('touch_ids'),
    lead_id    BIGINT NOT NULL,
    person_id  INTEGER,
    kind       VARCHAR NOT NULL,             -- email / call / meeting / form / event
    touched_at TIMESTAMP NOT NULL,
    note       VARCHAR
);

-- Append-only: one row per lifecycle move, written in the same transaction as the move.
CREATE SEQUENCE stage_history_ids START 1;
CREATE TABLE stage_history (
    history_id  BIGINT NOT NULL DEFAULT nextval('stage_history_ids'),
    lead_id     BIGINT NOT NULL,
    from_stage  VARCHAR,                     -- NULL for the first stage
    to_stage    VARCHAR NOT NULL,
    moved_at    TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL,            -- person name, 'import', 'demo', ...
    source      VARCHAR NOT NULL,            -- demo / import / triage / app
    event_id    BIGINT                       -- dispute_events.event_id when triage moved it
);

CREATE TABLE disputes (
    dispute_id    INTEGER PRIMARY KEY,
    lead_id       BIGINT NOT NULL,
    raised_by     VARCHAR NOT NULL CHECK (raised_by IN ('marketing', 'sales')),
    kind          VARCHAR NOT NULL CHECK (kind IN ('contest_reject', 'lead_quality', 'missed_followup')),
    reason_code   VARCHAR NOT NULL,
    claim         VARCHAR NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'escalated', 'resolved')),
    opened_at     TIMESTAMP NOT NULL,
    opened_by     VARCHAR,
    due_at        TIMESTAMP NOT NULL,
    resolved_at   TIMESTAMP,
    outcome       VARCHAR CHECK (outcome IS NULL OR outcome IN ('accept', 'disqualify', 'recycle', 'reassign')),
    fault         VARCHAR CHECK (fault IS NULL OR fault IN ('marketing', 'sales', 'data', 'none')),
    version       INTEGER NOT NULL DEFAULT 1  -- optimistic concurrency: bumped by every change
);

-- Append-only audit of every triage action (and its undo), in the same transaction as
-- the change. before_state/after_state hold JSON snapshots so an undo can compensate exactly.
CREATE SEQUENCE dispute_event_ids START 1;
CREATE TABLE dispute_events (
    event_id     BIGINT PRIMARY KEY DEFAULT nextval('dispute_event_ids'),
    dispute_id   INTEGER NOT NULL,
    lead_id      BIGINT NOT NULL,
    event_at     TIMESTAMP NOT NULL,
    actor        VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,            -- open / accept / disqualify / recycle / reassign / escalate / note / undo
    outcome      VARCHAR,
    fault        VARCHAR,
    reason_code  VARCHAR,
    note         VARCHAR,
    batch_id     VARCHAR,                     -- bulk actions share one
    undoes       BIGINT,                      -- event_id this one compensates
    before_state VARCHAR,                     -- JSON snapshot of dispute + lead before
    after_state  VARCHAR                      -- JSON snapshot after
);

-- A KPI snapshot per standup meeting: "since last standup" compares with these.
CREATE SEQUENCE standup_ids START 1;
CREATE TABLE standups (
    standup_id  INTEGER PRIMARY KEY DEFAULT nextval('standup_ids'),
    taken_at    TIMESTAMP NOT NULL,
    label       VARCHAR,
    kpis        VARCHAR NOT NULL              -- JSON object of KPI name -> number
);

-- Revenue target per quarter; the config's revenue_target is the fallback.
CREATE TABLE targets (
    quarter_start DATE PRIMARY KEY,
    revenue       DECIMAL(14, 2) NOT NULL CHECK (revenue >= 0)
);

-- Default reason codes; teams edit the table to match their own agreement.
INSERT INTO reason_codes VALUES
    ('wrong_territory',  'reject',     'procedural',    'Wrong owner / territory',          'reroute',             NULL, true),
    ('duplicate',        'reject',     'clerical',      'Duplicate of an existing lead',    'fix_data',            NULL, true),
    ('bad_contact_data', 'reject',     'clerical',      'Bad or missing contact data',      'fix_data',            NULL, true),
    ('not_icp',          'reject',     'definitional',  'Does not meet the MQL criteria',   'return_to_marketing', 60,   true),
    ('no_budget',        'disqualify', 'qualification', 'No budget',                        'recycle',             90,   true),
    ('no_need',          'disqualify', 'qualification', 'No need / no pain',                'disqualify',          NULL, true),
    ('bad_timing',       'disqualify', 'qualification', 'Not now, revisit later',           'recycle',             120,  true),
    ('student',          'disqualify', 'qualification', 'Student / personal use',           'disqualify',          NULL, true),
    ('competitor',       'disqualify', 'qualification', 'Competitor',                       'disqualify',          NULL, true),
    ('unresponsive',     'disqualify', 'qualification', 'Unresponsive after 5 touches',     'recycle',             45,   true),
    ('good_lead',        'dispute',    'follow_up',     'Lead was good: contest the reject','accept',              NULL, true),
    ('junk_source',      'dispute',    'quality',       'Junk from this campaign',          'disqualify',          NULL, true),
    ('no_follow_up',     'dispute',    'follow_up',     'Sales missed the follow-up SLA',   'accept',              NULL, true),
    ('nurture',          'recycle',    'definitional',  'Back to nurture',                  'recycle',             30,   true);

-- The panels filter and group by these; DuckDB's zone maps do most of the work, the
-- ART indexes serve triage's point look-ups by lead.
CREATE INDEX disputes_lead ON disputes (lead_id);
CREATE INDEX deals_lead ON deals (lead_id);
CREATE INDEX dispute_events_dispute ON dispute_events (dispute_id);

-- PostgreSQL only: several writers at once, so a new dispute's id comes from a sequence
-- (DuckDB's single writer takes max + 1 under its file lock), and the look-ups triage and
-- the timeline make by lead, undo and batch get indexes of their own.
CREATE SEQUENCE dispute_ids START 1;
CREATE INDEX disputes_live ON disputes (status) WHERE status IN ('open', 'escalated');
CREATE INDEX stage_history_lead ON stage_history (lead_id);
CREATE INDEX touches_lead ON touches (lead_id);
CREATE INDEX dispute_events_lead ON dispute_events (lead_id);
CREATE INDEX dispute_events_undoes ON dispute_events (undoes);
CREATE INDEX dispute_events_batch ON dispute_events (batch_id);
