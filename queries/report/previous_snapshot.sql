-- The snapshot recorded just before a given one (same instant: the lower id is earlier).
SELECT standup_id, taken_at, label, kpis
FROM standups
WHERE taken_at < $taken_at OR (taken_at = $taken_at AND standup_id < $standup_id)
ORDER BY taken_at DESC, standup_id DESC
LIMIT 1
