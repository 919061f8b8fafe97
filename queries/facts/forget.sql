-- Drop the stored facts of the leads @these_leads picks (before storing them anew).
DELETE FROM lead_facts WHERE @these_leads
