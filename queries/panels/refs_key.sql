-- Which database, and which state of it, remembered CRM ids (standup/refs.py) and check
-- reports (standup/check.py) belong to: the attached file's name; the stored facts'
-- stamp and watermark (NULLs when never stamped); the rows of fact_totals, to which
-- every writer that keeps the facts in step appends; and the tables' own newest
-- updated_at, since the facts' fingerprint does not cover the CRM ids, so a write by
-- another tool that changes only them is seen here. One row, read once per connection.
SELECT current_database(), s.stamped_at, s.leads, s.deals, s.disputes, s.leads_updated,
       s.deals_updated, (SELECT count(*) FROM fact_totals) AS fact_rows,
       (SELECT max(updated_at) FROM leads) AS leads_now,
       (SELECT max(updated_at) FROM deals) AS deals_now
FROM (SELECT 1) AS one
LEFT JOIN facts_stamp AS s ON true
LIMIT 1
