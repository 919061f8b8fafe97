-- Pipeline panel: one row per (measure, stage).
--   leads:   how many leads sit in the stage now          } summed from fact_totals
--   value:   deal value: open deals -> opportunity, won   } (migration 009; the caller
--            deals -> customer                            }  ran facts.prepare)
--   entered: how many moves into the stage happened within the conversion window
--            ($since, $now] (stage_history), so conversion X -> Y = entered(Y) / entered(X).
--
-- "entered" comes from the stage-entry summary (migration 008) while it is valid: whole
-- days inside the window from stage_entries_daily, the partial days at both edges from
-- the sorted stage_entries, moves appended since the stamp from stage_history by id.
-- Otherwise (never stamped, or stage_history no longer matches the stamp) it scans
-- stage_history, as the summary would have counted. $stamped_id: the summary's last
-- history_id when it is valid (panels/pipeline_stamp.sql), else NULL.
WITH entered AS (
    -- whole days strictly inside the window
    SELECT e.to_stage, e.n
    FROM stage_entries_daily AS e
    WHERE $stamped_id IS NOT NULL AND e.day >= $since::DATE + 1 AND e.day < $now::DATE
    UNION ALL
    -- the partial days at the edges
    SELECT e.to_stage, count(*)
    FROM stage_entries AS e
    WHERE $stamped_id IS NOT NULL AND e.moved_at > $since AND e.moved_at <= $now
      AND (e.moved_at < $since::DATE + 1 OR e.moved_at >= $now::DATE)
    GROUP BY 1
    UNION ALL
    -- appended since the stamp, or everything when the summary cannot be used
    SELECT s.to_stage, count(*)
    FROM stage_history AS s
    WHERE ($stamped_id IS NULL OR s.history_id > $stamped_id) AND s.moved_at > $since AND s.moved_at <= $now
    GROUP BY 1
)
SELECT 'leads' AS measure, stage, sum(leads)::DOUBLE AS amount
FROM fact_totals
GROUP BY stage
UNION ALL
SELECT 'value', 'opportunity', sum(open_amount) FROM fact_totals
UNION ALL
SELECT 'value', 'customer', sum(won_amount) FROM fact_totals
UNION ALL
SELECT 'entered', to_stage, sum(n)::DOUBLE
FROM entered
GROUP BY to_stage
