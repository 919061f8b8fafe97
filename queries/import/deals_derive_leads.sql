-- A deal-only export: one lead per deal whose lead column is empty or names no known
-- lead, keyed 'deal:<deal id>'. Its stage follows the deal (won -> customer, lost ->
-- disqualified or, with lost_lead_stage = "keep", opportunity; else opportunity), so a
-- re-import that closes the deal moves the lead too. It reached opportunity when the
-- deal was created (opportunity_at) and customer when a won deal closed (customer_at):
-- its history runs inquiry -> opportunity -> customer / disqualified (leads_apply.sql).
-- The derived lead shares the deal row's file and line: a bad deal row takes it along.
INSERT INTO imp_src_leads BY NAME
SELECT d.file, d.line, 'deal:' || d.external_id AS external_id,
       d.company, d.contact_name, d.email, d.owner, d.campaign,
       CASE lower(d.stage) WHEN 'won' THEN 'customer'
                           WHEN 'lost' THEN CASE getvariable('imp_lost_stage') WHEN 'keep' THEN 'opportunity'
                                                             ELSE 'disqualified' END
                           ELSE 'opportunity' END AS stage,
       d.created_at,
       d.created_at AS opportunity_at,
       CASE WHEN lower(d.stage) = 'won' THEN d.closed_at END AS customer_at,
       -- a closed deal's lead reached its final stage when the deal closed (deals_plan.sql)
       CASE WHEN lower(d.stage) IN ('won', 'lost') THEN
           coalesce(d.closed_at,
                    CASE WHEN imp_ts(d.expected_close) <= getvariable('imp_now')
                         THEN d.expected_close END)
       END AS stage_entered_at
FROM imp_src_deals AS d
WHERE d.external_id IS NOT NULL
  AND (d.lead IS NULL
       OR (d.lead NOT IN (SELECT external_id FROM imp_src_leads WHERE external_id IS NOT NULL)
           AND d.lead NOT IN (SELECT external_id FROM leads WHERE external_id IS NOT NULL)));
UPDATE imp_src_deals SET lead = 'deal:' || external_id
WHERE external_id IS NOT NULL
  AND ('deal:' || external_id) IN (SELECT external_id FROM imp_src_leads);
