-- Restamp: every lead's facts (facts/live.sql, spliced in below), in a table created anew
-- rather than deleted from and refilled: DuckDB does not compact a table with an index,
-- so each restamp would leave a million deleted rows in the file for every scan to skip.
-- Leads with open disputes come first, then most money first, so the panels' literal
-- filters "open_disputes > 0" and "open_amount > 0" let DuckDB's zone maps skip all but
-- the first row groups.
CREATE OR REPLACE TABLE lead_facts AS
SELECT * FROM (@live)
ORDER BY open_disputes > 0 DESC, open_amount DESC, stall_at NULLS LAST, lead_id
