-- standup check: the CRM ids of the example leads (@lead_ids, a literal list).
SELECT lead_id, external_id FROM leads WHERE lead_id IN (@lead_ids)
