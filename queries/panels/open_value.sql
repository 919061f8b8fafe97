-- RevOps, open pipeline: the value of every open deal (fact_totals; facts.prepare ran).
SELECT sum(open_amount)::DOUBLE FROM fact_totals
