-- How far the stored fingerprints (fact_sources) are from the tables' now, per lead (a
-- check for tests, beside facts/out_of_step.sql): leads whose stored fingerprint differs,
-- plus one if the stored total is not their sum.
WITH live AS (
    SELECT lead_id, sum(h) AS h FROM (@source_rows) GROUP BY lead_id
)
SELECT (SELECT count(*) FILTER (WHERE h IS DISTINCT FROM (SELECT sum(h) FROM fact_sources))
        + 1 - count(*) FROM fact_sources_total)
     + count(*) FROM (
    (SELECT lead_id, h FROM fact_sources EXCEPT ALL SELECT lead_id, h FROM live)
    UNION ALL
    (SELECT lead_id, h FROM live EXCEPT ALL SELECT lead_id, h FROM fact_sources)
)
