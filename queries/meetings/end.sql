-- The meeting is over.
UPDATE meetings SET ended_at = $ended_at WHERE meeting_id = $meeting_id
