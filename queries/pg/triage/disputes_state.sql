-- The triage-relevant state of the named disputes; locked in id order in a write (two
-- bulk actions over the same rows wait for each other instead of deadlocking).
SELECT dispute_id, lead_id, raised_by, kind, reason_code, status, resolved_at, outcome, fault,
       version, claim, opened_at, opened_by, due_at
FROM disputes
WHERE dispute_id = ANY($ids::INTEGER[])
ORDER BY dispute_id
/*@for_update*/
