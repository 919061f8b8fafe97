-- A writer's few leads: replace their stored fingerprints (fact_sources, migration 012)
-- with the fingerprint of their rows now (facts/source_rows.sql, spliced in below).
DELETE FROM fact_sources WHERE @these_leads;
INSERT INTO fact_sources SELECT lead_id, sum(h) FROM (@source_rows) GROUP BY lead_id;
