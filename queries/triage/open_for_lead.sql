-- Disputes still open or escalated on a lead (a lead gets one live dispute at a time).
SELECT dispute_id FROM disputes WHERE lead_id = $lead_id AND status IN ('open', 'escalated')
