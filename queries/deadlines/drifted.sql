-- Leads the stored deadlines do not cover (written since the restamp, new, or stamped
-- under another SLA: $stamp_ok false), at most $cap + 1 of them: the Stalled query
-- computes these on the fly.
SELECT l.lead_id
FROM leads AS l
POSITIONAL JOIN lead_deadlines AS d
WHERE l.lead_id IS NOT NULL
  AND (d.lead_id IS NULL OR NOT ($stamp_ok AND d.lead_id = l.lead_id
                                 AND d.updated_at = l.updated_at))
LIMIT $cap + 1
