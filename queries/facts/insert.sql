-- Store the facts of the leads @these_leads picks (facts/live.sql, spliced in below). A restamp
-- stores every lead's, leads with open disputes first, then most money first, so the
-- panels' literal filters "open_disputes > 0" and "open_amount > 0" let DuckDB's zone
-- maps skip all but the first row groups; a write appends the few leads it changed.
INSERT INTO lead_facts
SELECT * FROM (@live)
ORDER BY open_disputes > 0 DESC, open_amount DESC, stall_at NULLS LAST, lead_id
