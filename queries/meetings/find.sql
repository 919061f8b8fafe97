-- One meeting by id, or the latest started at or before now when $meeting_id is NULL.
SELECT meeting_id, standup_id, label, started_at, ended_at
FROM meetings
WHERE ($meeting_id IS NULL AND started_at <= $now) OR meeting_id = $meeting_id
ORDER BY started_at DESC, meeting_id DESC
LIMIT 1
