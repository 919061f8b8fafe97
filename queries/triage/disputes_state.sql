-- The triage-relevant state of the named disputes (read inside the action's transaction).
SELECT dispute_id, lead_id, raised_by, kind, reason_code, status, resolved_at, outcome, fault,
       version, claim, opened_at, opened_by, due_at
FROM disputes
WHERE dispute_id IN (SELECT unnest($ids::INTEGER[]))
