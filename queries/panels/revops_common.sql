-- RevOps numbers that do not depend on reading the deals, one row per (measure, bucket):
--   contact: speed-to-lead. Leads sales accepted in the window (by calendar day of
--            acceptance, $since_day < day <= $now_day), per whole hours from acceptance
--            to first contact (bucket; -1: not contacted yet), from fact_days (migration
--            011); `amount` counts the uncontacted ones whose SLA ran out before today
--            began ($late_day: the day of now - first_contact_hours; day resolution)
--   open:    the value of every open deal (fact_totals)
--   target:  this quarter's target from the targets table (no row: none)
SELECT 'contact' AS measure, bucket, sum(n)::BIGINT AS n,
       coalesce(sum(n) FILTER (WHERE bucket = -1 AND day < $late_day), 0)::DOUBLE AS amount
FROM fact_days
WHERE measure = 'contact' AND day > $since_day AND day <= $now_day
GROUP BY bucket
HAVING sum(n) <> 0
UNION ALL
SELECT 'open', NULL, 0, coalesce(sum(open_amount), 0)::DOUBLE FROM fact_totals
UNION ALL
SELECT 'target', NULL, 0, revenue::DOUBLE FROM targets WHERE quarter_start = $quarter_start
