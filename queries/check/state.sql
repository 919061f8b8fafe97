-- Which database, and which state of it, a remembered check report belongs to: the
-- attached file's name and the stored facts' stamp and watermark (NULLs when never
-- stamped), which every writer that keeps the facts in step moves along.
SELECT current_database(), s.stamped_at, s.leads, s.deals, s.disputes, s.leads_updated,
       s.deals_updated
FROM (SELECT 1) AS one
LEFT JOIN facts_stamp AS s ON true
LIMIT 1
