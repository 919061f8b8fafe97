-- How far the stored fingerprints (fact_sources) are from the tables' now, per lead (a
-- check for tests, beside facts/out_of_step.sql): leads whose stored fingerprint differs.
WITH live AS (
    SELECT lead_id, sum(h) AS h FROM (@source_rows) GROUP BY lead_id
)
SELECT count(*) FROM (
    (SELECT lead_id, h FROM fact_sources EXCEPT ALL SELECT lead_id, h FROM live)
    UNION ALL
    (SELECT lead_id, h FROM live EXCEPT ALL SELECT lead_id, h FROM fact_sources)
)
