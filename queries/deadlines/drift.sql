-- How many leads the precomputed deadlines do not cover (written since the restamp, new,
-- or stamped under another SLA: $stamp_ok is false): the dashboard computes those on the
-- fly, and restamps in the background when there are many.
SELECT
    count(*) FILTER (WHERE d.lead_id IS NULL OR NOT (
        $stamp_ok AND d.lead_id = l.lead_id AND d.updated_at = l.updated_at
    )) AS drift,
    count(*) AS leads
FROM leads AS l
POSITIONAL JOIN lead_deadlines AS d
WHERE l.lead_id IS NOT NULL
