-- One agenda segment of a meeting, as planned.
INSERT INTO meeting_segments (meeting_id, position, name, screen, planned_seconds)
VALUES ($meeting_id, $position, $name, $screen, $planned_seconds)
