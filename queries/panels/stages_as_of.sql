-- Pipeline panel, leads per stage as of $now when --as-of lies before some of the data:
-- each lead's stage is that of its last stage_history move at or before $now (moves at
-- an unknown time count as older than every dated one). A lead without any history sits
-- in its current stage if it existed by then (created_at at or before $now, or unknown);
-- a lead whose every move is after $now did not exist yet and is not counted.
WITH moves AS (
    SELECT
        lead_id,
        last(to_stage ORDER BY moved_at ASC NULLS FIRST, history_id)
            FILTER (WHERE moved_at <= $now OR moved_at IS NULL) AS stage
    FROM stage_history
    GROUP BY lead_id
)
SELECT m.stage, count(*)::DOUBLE
FROM moves AS m
WHERE m.stage IS NOT NULL
GROUP BY 1
UNION ALL
SELECT l.stage, count(*)::DOUBLE
FROM leads AS l
ANTI JOIN moves AS m ON m.lead_id = l.lead_id
WHERE l.created_at IS NULL OR l.created_at <= $now
GROUP BY 1
