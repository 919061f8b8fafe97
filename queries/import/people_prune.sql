-- People derived from owner columns that no valid row uses are not created after all
-- (a rejected row creates nothing).
DELETE FROM imp_people_plan
WHERE derived
  AND person_id NOT IN (
      SELECT owner_id FROM imp_leads_plan WHERE owner_id IS NOT NULL
      UNION ALL SELECT owner_id FROM imp_deals_plan WHERE owner_id IS NOT NULL
      UNION ALL SELECT owner_id FROM imp_campaigns_plan WHERE owner_id IS NOT NULL
      UNION ALL SELECT person_id FROM imp_touches_plan WHERE person_id IS NOT NULL
  );
