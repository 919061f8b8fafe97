-- PostgreSQL dialect of queries/migrations/012_fact_sources.sql (same number, same tables).
-- Per-lead fingerprints of the rows the dashboard facts were computed from (issue 13),
-- and their sum. DuckDB's HUGEINT (a sum of 64-bit hashes) is NUMERIC(39, 0) here.
-- Like the facts themselves, empty in team mode (see 011): push leaves them out.
CREATE TABLE fact_sources (
    lead_id  BIGINT        NOT NULL,
    h        NUMERIC(39, 0) NOT NULL   -- sum of hash(row) over the lead's rows
);
CREATE INDEX fact_sources_lead ON fact_sources (lead_id);
CREATE TABLE fact_sources_total (h NUMERIC(39, 0) NOT NULL);
DELETE FROM facts_stamp;
