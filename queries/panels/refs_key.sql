-- Which database and which state of it the remembered CRM ids (standup/refs.py) belong
-- to: the attached file's name, the stored facts' stamp and watermark, and the rows in
-- fact_totals, to which every writer that keeps the facts in step appends (so even a
-- write that leaves the watermark's maxima alone is noticed), and the fingerprint of the
-- rows the facts and the CRM ids come from (fact_sources_total, migration 012), so a
-- foreign write that changes a CRM id is noticed too.
SELECT current_database(), stamped_at, leads, deals, disputes, leads_updated, deals_updated,
       (SELECT count(*) FROM fact_totals) AS fact_rows,
       (SELECT max(h) FROM fact_sources_total) AS sources
FROM facts_stamp
LIMIT 1
