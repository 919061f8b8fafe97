-- RevOps numbers read from the deals themselves (exact path, when some time in the data
-- lies after now: see panels/latest.sql): the rows of panels/revops_days.sql, counted
-- the same way, with times compared exactly (closed at or before $until / $now, created
-- at or after the first of the last 7 calendar days $week_day and at or before $now).
SELECT
    'won', CASE WHEN created_at IS NULL THEN -1
                ELSE least(greatest(floor(epoch(closed_at - created_at) / 86400), 0), 730)::INTEGER
           END,
    count(*), sum(amount)::DOUBLE
FROM deals
WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until
GROUP BY 1, 2
UNION ALL
SELECT 'lost', NULL, count(*), NULL
FROM deals
WHERE stage = 'lost' AND closed_at >= $start AND closed_at <= $until
UNION ALL
SELECT 'won_quarter', NULL, count(*), sum(amount)::DOUBLE
FROM deals
WHERE stage = 'won' AND closed_at >= $quarter_start AND closed_at <= $now
UNION ALL
SELECT 'created', NULL, count(*), sum(amount)::DOUBLE
FROM deals
WHERE created_at >= $week_day AND created_at <= $now
UNION ALL
SELECT 'due', NULL, count(*), sum(amount)::DOUBLE
FROM deals
WHERE stage NOT IN ('won', 'lost') AND expected_close < $now_day
