-- One lead's deals for the detail pane, with their CRM ids: open ones first, then newest.
SELECT deal_id, external_id, name, stage, amount, created_at, closed_at
FROM deals
WHERE lead_id = $lead_id
ORDER BY stage IN ('won', 'lost'), created_at DESC NULLS LAST, deal_id
