-- One dispute's triage state by primary key (an index look-up; the batch form scans).
SELECT dispute_id, lead_id, raised_by, kind, reason_code, status, resolved_at, outcome, fault,
       version, claim, opened_at, opened_by, due_at
FROM disputes
WHERE dispute_id = $id
