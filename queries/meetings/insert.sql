-- Start a meeting: the KPI snapshot it compares against was recorded in the same transaction.
INSERT INTO meetings (standup_id, label, started_at) VALUES ($standup_id, $label, $started_at)
RETURNING meeting_id
