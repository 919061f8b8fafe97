-- Pipeline panel: one row per (measure, stage).
--   leads:    how many leads sit in the stage now          } summed from fact_totals
--   value:    deal value: open deals -> opportunity, won   } (migrations 009, 011; the
--             deals -> customer                            }  caller ran facts.prepare)
--   reached:  leads whose milestone of the stage fell in the conversion window, by
--             calendar day: $since_day < day <= $now_day (fact_days, migration 011)
--   advanced: ... of them, those that reached the next main-path stage, so the cohort
--             conversion X -> next = advanced(X) / reached(X), never above 100%
--   undated:  leads that reached the stage at an unknown time (left out of the above)
--   latest:   the latest time any lead knows of (epoch seconds): when --as-of lies
--             before it, the caller counts the stages from the history instead
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
WHERE (measure = 'reached' AND day IS NULL)
   OR (measure IN ('reached', 'advanced') AND day > $since_day AND day <= $now_day)
GROUP BY ALL
