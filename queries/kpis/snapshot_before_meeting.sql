-- "Last standup" while a meeting runs: the latest snapshot at or before now, other than
-- the one the running meeting just recorded ($exclude_id; NULL when no meeting runs).
SELECT standup_id, taken_at, label, kpis
FROM standups
WHERE taken_at <= $now AND ($exclude_id IS NULL OR standup_id <> $exclude_id)
ORDER BY taken_at DESC, standup_id DESC
LIMIT 1
