-- Per table: valid rows whose export gave no created date (imported with it unknown, or
-- keeping the stored one), for the summary's "N rows had no created date".
SELECT 'leads' AS tbl, count(*) FILTER (WHERE no_created_date) FROM imp_leads_plan
UNION ALL
SELECT 'deals', count(*) FILTER (WHERE no_created_date) FROM imp_deals_plan
