-- When the stored facts cannot be used (another SLA, or written by something else): every
-- lead's facts computed live (facts/live.sql, spliced in below) into a temporary table of
-- the same name, which DuckDB resolves before the file's own, so the panels' queries
-- read it for this one unit of work. facts/shadow_totals.sql goes first.
CREATE TEMP TABLE lead_facts AS
SELECT * FROM (@live)
