-- Shared goal panel: revenue won per day this quarter, plus one row with day NULL holding
-- this quarter's target from the targets table (NULL amount when there is none).
SELECT NULL::DATE AS day, (SELECT revenue FROM targets WHERE quarter_start = $quarter_start)::DOUBLE AS amount
UNION ALL
SELECT closed_at::DATE AS day, sum(amount)::DOUBLE AS amount
FROM deals
WHERE stage = 'won' AND closed_at >= $quarter_start AND closed_at <= $now
GROUP BY 1
ORDER BY day NULLS FIRST
