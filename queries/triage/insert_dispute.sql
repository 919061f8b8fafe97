-- A new dispute, open, version 1.
INSERT INTO disputes (dispute_id, lead_id, raised_by, kind, reason_code, claim, status,
                      opened_at, opened_by, due_at, version)
VALUES ($dispute_id, $lead_id, $raised_by, $kind, $reason_code, $claim, 'open',
        $opened_at, $opened_by, $due_at, 1)
