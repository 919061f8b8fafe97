-- Apply one computed dispute state ($params): a point update (see update_leads_one.sql).
UPDATE disputes
SET status = $status, resolved_at = $resolved_at, outcome = $outcome, fault = $fault,
    version = $version
WHERE dispute_id = $dispute_id
