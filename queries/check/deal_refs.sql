-- standup check: the CRM ids of the example deals (@deal_ids, a literal list).
SELECT deal_id, external_id FROM deals WHERE deal_id IN (@deal_ids)
