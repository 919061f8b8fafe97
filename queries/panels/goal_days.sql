-- Shared goal panel (fast path, see panels/latest.sql): revenue won per day in the period,
-- days $start..$until_day, from fact_days (migration 011); plus one row with day NULL
-- holding the target of the quarter starting $quarter_start (NULL when there is none).
SELECT NULL::DATE AS day, (SELECT revenue FROM targets WHERE quarter_start = $quarter_start)::DOUBLE AS amount
UNION ALL
SELECT day, sum(amount)::DOUBLE
FROM fact_days
WHERE measure = 'won' AND day >= $start AND day <= $until_day
GROUP BY day
HAVING sum(n) <> 0
ORDER BY day NULLS FIRST
