-- Dashboard facts that cannot miss a write (issue 13). The watermark of migration 009
-- (row counts, newest updated_at) missed any write that kept the counts and left
-- updated_at alone: `UPDATE leads SET stage = 'mql' ...` from another tool.
--
-- fact_sources holds, per lead, the fingerprint of the rows its facts were computed from
-- (the sum of a hash of each of its leads, deals and disputes rows over the columns the
-- facts read; facts/source_rows.sql). Writers replace it with the lead's facts, in the
-- same transaction; a reader trusts the stored facts only while the stored fingerprints
-- add up to the tables' own (fact_sources_total vs facts/in_step.sql), and checks that only when the file
-- moved on disk since it last did (standup.store.FilePosition). Stamps made before this
-- migration have no fingerprints: forgotten, so the next read-write session restamps.
CREATE TABLE fact_sources (
    lead_id  BIGINT  NOT NULL,
    h        HUGEINT NOT NULL   -- sum of hash(row) over the lead's leads/deals/disputes rows
);
CREATE INDEX fact_sources_lead ON fact_sources (lead_id);
-- their sum, kept by the writers as they replace a lead's (one row)
CREATE TABLE fact_sources_total (h HUGEINT NOT NULL);
DELETE FROM facts_stamp;
