-- Which database, and which state of it, remembered CRM ids (standup/refs.py) and check
-- reports (standup/check.py) belong to: the attached file's name; the stored facts'
-- stamp and watermark (NULLs when never stamped); the rows of fact_totals, to which
-- every writer that keeps the facts in step appends; the fingerprint of the rows the
-- facts and the CRM ids come from (fact_sources_total, migration 012: it covers the CRM
-- ids too, so a write by another tool that changes only them is seen); and the tables'
-- own newest updated_at. One row, read once per connection.
SELECT current_database(), s.stamped_at, s.leads, s.deals, s.disputes, s.leads_updated,
       s.deals_updated, (SELECT count(*) FROM fact_totals) AS fact_rows,
       (SELECT max(h) FROM fact_sources_total) AS sources,
       (SELECT max(updated_at) FROM leads) AS leads_now,
       (SELECT max(updated_at) FROM deals) AS deals_now
FROM (SELECT 1) AS one
LEFT JOIN facts_stamp AS s ON true
LIMIT 1
