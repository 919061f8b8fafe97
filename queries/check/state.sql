-- Which database, and which state of it, a remembered check report belongs to: the
-- attached file's name, the stored facts' stamp and watermark (NULLs when never
-- stamped), and the rows in fact_totals, to which every writer that keeps the facts in
-- step appends (so even a write that leaves the watermark's maxima alone is noticed).
SELECT current_database(), s.stamped_at, s.leads, s.deals, s.disputes, s.leads_updated,
       s.deals_updated, (SELECT count(*) FROM fact_totals) AS fact_rows
FROM (SELECT 1) AS one
LEFT JOIN facts_stamp AS s ON true
LIMIT 1
