-- Every dispute on one lead (both sides' claims, earlier disputes), oldest first.
SELECT dispute_id, raised_by, kind, reason_code, claim, status, opened_at, opened_by, due_at,
       resolved_at, outcome, fault, version
FROM disputes
WHERE lead_id = $lead_id
ORDER BY opened_at, dispute_id
