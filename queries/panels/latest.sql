-- The latest time any lead or deal knows of (fact_totals, migration 011; the caller ran
-- facts.prepare). While it is not after now, the day summaries in fact_days are exact
-- for windows that end now; otherwise the money panels read the deals themselves.
SELECT max(latest_at) FROM fact_totals
