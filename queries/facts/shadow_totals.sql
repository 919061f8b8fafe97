-- The live facts' totals start empty in a temporary table of the same name (facts/sum.sql
-- fills it once facts/shadow.sql has made the live lead_facts).
CREATE TEMP TABLE fact_totals AS SELECT * FROM fact_totals LIMIT 0
