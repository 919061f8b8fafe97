-- How long a segment has taken so far, and when it was first on screen.
UPDATE meeting_segments
SET spent_seconds = $spent_seconds, started_at = $started_at
WHERE meeting_id = $meeting_id AND position = $position
