-- Which database and which state of it the remembered CRM ids (standup/refs.py) belong
-- to: the attached file's name, the stored facts' stamp and watermark, and the rows in
-- fact_totals, to which every writer that keeps the facts in step appends (so even a
-- write that leaves the watermark's maxima alone is noticed).
SELECT current_database(), stamped_at, leads, deals, disputes, leads_updated, deals_updated,
       (SELECT count(*) FROM fact_totals) AS fact_rows,
       -- the tables' own newest updated_at: the facts' fingerprint does not cover the CRM
       -- ids, so a write by another tool that changes only them must be seen here
       (SELECT max(updated_at) FROM leads) AS leads_now,
       (SELECT max(updated_at) FROM deals) AS deals_now
FROM facts_stamp
LIMIT 1
