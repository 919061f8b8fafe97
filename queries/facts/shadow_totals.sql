-- The live facts' totals start empty in temporary tables of the same names (facts/sum.sql
-- and facts/sum_days.sql fill them once facts/shadow.sql has made the live lead_facts).
CREATE TEMP TABLE fact_totals AS SELECT * FROM fact_totals LIMIT 0;
CREATE TEMP TABLE fact_days AS SELECT * FROM fact_days LIMIT 0;
