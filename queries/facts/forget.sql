-- Drop the stored facts of the leads @lead_ids (before storing them anew).
DELETE FROM lead_facts WHERE lead_id IN (@lead_ids)
