-- PostgreSQL dialect of queries/migrations/002_deadlines.sql (same number, same tables).
-- Precomputed SLA deadlines, so the Stalled panel need not re-derive every lead's
-- deadline on each refresh (issue 3: 1M leads, all panels <= 60 ms).
--
-- lead_deadlines holds, for every lead in the same row order as `leads`, the moment it
-- breaches its SLA (stall_at; NULL for stages that cannot stall) and the rule that fires
-- first. The dashboard reads it with a POSITIONAL JOIN, and uses a row only while it is
-- fresh: same lead_id, same leads.updated_at as when stamped, and the same SLA config
-- (sla_stamp). Any other row (a lead written since, a new lead) is computed on the fly,
-- so writers never have to know about this table; they only have to bump updated_at,
-- as they already must. `standup.deadlines.restamp` rebuilds it (the demo does, and the
-- app does in the background when many rows have gone stale).
CREATE TABLE lead_deadlines (
    lead_id     BIGINT    NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    stall_at    TIMESTAMP,
    stall_rule  VARCHAR
);

CREATE TABLE sla_stamp (
    sla         VARCHAR   NOT NULL,   -- JSON of the SLA config the deadlines follow
    stamped_at  TIMESTAMP NOT NULL,   -- wall-clock time of the restamp
    leads       BIGINT    NOT NULL    -- rows stamped
);
