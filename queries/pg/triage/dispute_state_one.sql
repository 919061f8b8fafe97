-- One dispute's triage state by primary key; in a write it is locked until commit, so
-- the version the rules check is the one the update will find.
SELECT dispute_id, lead_id, raised_by, kind, reason_code, status, resolved_at, outcome, fault,
       version, claim, opened_at, opened_by, due_at
FROM disputes
WHERE dispute_id = $id
/*@for_update*/
