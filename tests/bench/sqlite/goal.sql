-- SQLite translation of queries/panels/goal.sql (a day is epoch microseconds / 86400e6).
SELECT NULL AS day, (SELECT revenue FROM targets WHERE quarter_start = $quarter_start) AS amount
UNION ALL
SELECT closed_at / 86400000000 AS day, sum(amount) AS amount
FROM deals
WHERE stage = 'won' AND closed_at >= $quarter_start AND closed_at <= $now
GROUP BY 1
ORDER BY day NULLS FIRST
