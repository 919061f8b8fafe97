-- PostgreSQL twin of queries/facts/out_of_step.sql (a check for tests and for the
-- curious): lead_facts rows that differ from queries/pg/facts/live.sql computed now over
-- every lead (spliced in), plus (campaign, stage) groups whose summed fact_totals differ
-- from summing lead_facts. Money to the cent: the totals are running sums of doubles.
WITH live AS (
    SELECT * FROM (@live) AS computed
), stored_vs_live AS (
    (SELECT * FROM lead_facts EXCEPT ALL SELECT * FROM live)
    UNION ALL
    (SELECT * FROM live EXCEPT ALL SELECT * FROM lead_facts)
), summed AS (
    SELECT campaign_id, stage, sum(leads) AS leads, sum(mqls) AS mqls, sum(accepted) AS accepted,
           round(sum(open_amount)::NUMERIC, 2) AS open_amount,
           round(sum(won_amount)::NUMERIC, 2) AS won_amount,
           sum(disputes) AS disputes, sum(quality_disputes) AS quality_disputes
    FROM fact_totals
    GROUP BY campaign_id, stage
    HAVING sum(leads) <> 0
), counted AS (
    SELECT campaign_id, stage, count(*), count(*) FILTER (WHERE mql),
           count(*) FILTER (WHERE accepted), round(sum(open_amount)::NUMERIC, 2),
           round(sum(won_amount)::NUMERIC, 2), sum(disputes), sum(quality_disputes)
    FROM lead_facts
    GROUP BY campaign_id, stage
), totals_vs_facts AS (
    (SELECT * FROM summed EXCEPT SELECT * FROM counted)
    UNION ALL
    (SELECT * FROM counted EXCEPT SELECT * FROM summed)
)
SELECT (SELECT count(*) FROM stored_vs_live) + (SELECT count(*) FROM totals_vs_facts)
