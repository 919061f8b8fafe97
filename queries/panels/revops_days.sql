-- RevOps numbers from the deals (fast path, see panels/latest.sql), from fact_days
-- (migration 011), one row per (measure, bucket): n deals and their amount.
--   won:         won deals closed on days $start..$until_day (the goal's period),
--                bucket = whole days created -> closed (-1: created date unknown)
--   lost:        lost deals closed then
--   won_quarter: won deals closed this quarter, days $quarter_start..$now_day
--   created:     deals created on days $week_day..$now_day (the last 7 calendar days)
--   due:         open deals whose expected close date is before $now_day (slipped)
SELECT measure, bucket, sum(n)::BIGINT, sum(amount)::DOUBLE
FROM fact_days
WHERE (measure IN ('won', 'lost') AND day >= $start AND day <= $until_day)
   OR (measure = 'created' AND day >= $week_day AND day <= $now_day)
   OR (measure = 'due' AND day < $now_day)
GROUP BY ALL
HAVING sum(n) <> 0
UNION ALL
SELECT 'won_quarter', NULL, sum(n)::BIGINT, sum(amount)::DOUBLE
FROM fact_days
WHERE measure = 'won' AND day >= $quarter_start AND day <= $now_day
