-- Lead external id -> lead_id over the database and the leads about to be written, for
-- deals and touches that name their lead (only built when the import has any).
CREATE OR REPLACE TEMP TABLE imp_lead_keys AS
SELECT external_id AS key, lead_id FROM imp_leads_plan WHERE getvariable('imp_has_refs')
UNION ALL
SELECT external_id, min(lead_id) FROM leads
WHERE external_id IS NOT NULL AND getvariable('imp_has_refs')
  AND external_id NOT IN (SELECT external_id FROM imp_leads_plan)
GROUP BY external_id;
