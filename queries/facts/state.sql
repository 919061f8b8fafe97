-- Can the stored facts be used? Only when stamped under this SLA ($sla) and the tables
-- still match the watermark the last in-step write left: anything else wrote since.
SELECT count(*) > 0
FROM facts_stamp AS s, (@watermark) AS w
WHERE s.sla = $sla
  AND s.leads = w.leads AND s.deals = w.deals AND s.disputes = w.disputes
  AND s.leads_updated IS NOT DISTINCT FROM w.leads_updated
  AND s.deals_updated IS NOT DISTINCT FROM w.deals_updated
