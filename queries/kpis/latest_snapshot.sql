-- The latest standup snapshot taken at or before now ("since last standup").
SELECT standup_id, taken_at, label, kpis
FROM standups
WHERE taken_at <= $now
ORDER BY taken_at DESC, standup_id DESC
LIMIT 1
