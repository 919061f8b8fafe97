-- Speed-to-lead: leads sales accepted in the window (by calendar day of acceptance,
-- $since_day < day <= $now_day), per whole hours from acceptance to first contact
-- (bucket, from fact_days of migration 011; -1: not contacted yet). `late` marks
-- uncontacted ones whose SLA ran out before today began ($late_day: the day of
-- now - first_contact_hours; day resolution, so the last day's are not yet counted).
SELECT bucket, sum(n)::BIGINT AS n,
       sum(n) FILTER (WHERE bucket = -1 AND day < $late_day)::BIGINT AS late
FROM fact_days
WHERE measure = 'contact' AND day > $since_day AND day <= $now_day
GROUP BY bucket
HAVING sum(n) <> 0
ORDER BY bucket
