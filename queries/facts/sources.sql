-- A writer's few leads: replace their stored fingerprints (fact_sources, migration 012)
-- with the fingerprint of their rows now (facts/source_rows.sql, spliced in below), and
-- move the stored total by the difference (a sum over a million HUGEINTs costs more than
-- the check it serves).
UPDATE fact_sources_total
SET h = h - coalesce((SELECT sum(h) FROM fact_sources WHERE @these_leads), 0);
DELETE FROM fact_sources WHERE @these_leads;
INSERT INTO fact_sources SELECT lead_id, sum(h) FROM (@source_rows) GROUP BY lead_id;
UPDATE fact_sources_total
SET h = h + coalesce((SELECT sum(h) FROM fact_sources WHERE @these_leads), 0);
