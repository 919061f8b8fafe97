-- Team mode: queries/panels/refs_key.sql without the tables' newest updated_at (through
-- the scanner, a stream of every lead's). Not needed here: the refs cache is used only
-- while the facts are stamped, and then the server's triggers append to fact_totals on
-- every write to leads, deals or disputes, CRM ids included, so fact_rows moves with
-- each. The fingerprint of migration 012 is the file's (NULL here).
SELECT current_database(), s.stamped_at, s.leads, s.deals, s.disputes, s.leads_updated,
       s.deals_updated, (SELECT count(*) FROM fact_totals) AS fact_rows,
       NULL AS sources, NULL AS leads_now, NULL AS deals_now
FROM (SELECT 1) AS one
LEFT JOIN facts_stamp AS s ON true
LIMIT 1
