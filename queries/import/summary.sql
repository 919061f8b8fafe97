-- Per table: rows read, and what the plan would do with them.
SELECT tbl,
       count(*) FILTER (WHERE action = 'new') AS new,
       count(*) FILTER (WHERE action = 'updated') AS updated,
       count(*) FILTER (WHERE action = 'unchanged') AS unchanged
FROM (
    SELECT 'people' AS tbl, action FROM imp_people_plan
    UNION ALL SELECT 'campaigns', action FROM imp_campaigns_plan
    UNION ALL SELECT 'leads', action FROM imp_leads_plan
    UNION ALL SELECT 'deals', action FROM imp_deals_plan
    UNION ALL SELECT 'touches', action FROM imp_touches_plan
)
GROUP BY tbl;
