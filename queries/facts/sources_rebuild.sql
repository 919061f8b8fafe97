-- Restamp: every lead's fingerprint (facts/source_rows.sql, spliced in below), in a table
-- created anew (as facts/rebuild.sql does for lead_facts, and for the same reason), and
-- their total.
CREATE OR REPLACE TABLE fact_sources AS
SELECT lead_id, sum(h) AS h FROM (@source_rows) GROUP BY lead_id ORDER BY lead_id;
CREATE INDEX fact_sources_lead ON fact_sources (lead_id);
DELETE FROM fact_sources_total;
INSERT INTO fact_sources_total SELECT coalesce(sum(h), 0) FROM fact_sources;
