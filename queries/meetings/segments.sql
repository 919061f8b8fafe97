-- A meeting's agenda, planned vs spent, in order.
SELECT position, name, screen, planned_seconds, spent_seconds, started_at
FROM meeting_segments
WHERE meeting_id = $meeting_id
ORDER BY position
