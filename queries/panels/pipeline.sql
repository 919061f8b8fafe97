-- Pipeline panel: one row per (measure, stage).
--   leads:    how many leads sit in the stage now          } summed from fact_totals
--   value:    deal value: open deals -> opportunity, won   } (migrations 009, 011; the
--             deals -> customer                            }  caller ran facts.prepare)
--   reached:  leads whose milestone of the stage fell in the conversion window, by
--             calendar day: $since_day < day <= $now_day (fact_days, migration 011)
--   advanced: ... of them, those that reached the next main-path stage, so the cohort
--             conversion X -> next = advanced(X) / reached(X), never above 100%
--   undated:  leads that reached the stage at an unknown time (left out of the above)
--   entered:  moves into the stage within ($since, $now] (stage_history, via the
--             stage-entry summary of migration 008 while it is valid: whole days from
--             stage_entries_daily, the partial edge days from stage_entries, moves
--             appended since the stamp from stage_history; else a scan). $stamped_id:
--             the summary's last history_id when valid (panels/pipeline_stamp.sql).
--   latest:   the latest time any lead knows of (epoch seconds): when --as-of lies
--             before it, the caller counts the stages from the history instead
WITH entered AS (
    SELECT e.to_stage, e.n
    FROM stage_entries_daily AS e
    WHERE $stamped_id IS NOT NULL AND e.day >= $since::DATE + 1 AND e.day < $now::DATE
    UNION ALL
    SELECT e.to_stage, count(*)
    FROM stage_entries AS e
    WHERE $stamped_id IS NOT NULL AND e.moved_at > $since AND e.moved_at <= $now
      AND (e.moved_at < $since::DATE + 1 OR e.moved_at >= $now::DATE)
    GROUP BY 1
    UNION ALL
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
SELECT 'latest', 'all', epoch(max(latest_at)) FROM fact_totals
UNION ALL
SELECT CASE WHEN day IS NULL THEN 'undated' ELSE measure END, stage, sum(n)::DOUBLE
FROM fact_days
WHERE measure IN ('reached', 'advanced')
  AND (day IS NULL OR (day > $since_day AND day <= $now_day))
GROUP BY ALL
UNION ALL
SELECT 'entered', to_stage, sum(n)::DOUBLE
FROM entered
GROUP BY to_stage
