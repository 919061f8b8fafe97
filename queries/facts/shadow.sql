-- When the stored facts cannot be used (another SLA, or written by something else): empty
-- temporary tables of the same names, which DuckDB resolves before the file's own, so the
-- panels' queries read facts computed live for this one unit of work.
CREATE TEMP TABLE lead_facts AS SELECT * FROM lead_facts LIMIT 0;
CREATE TEMP TABLE fact_totals AS SELECT * FROM fact_totals LIMIT 0;
