-- Shared goal (fast path): the latest day up to $now_day with a won deal (NULL: none).
SELECT max(day) FROM (
    SELECT day FROM fact_days
    WHERE measure = 'won' AND day <= $now_day
    GROUP BY day
    HAVING sum(n) > 0
)
