-- Shared goal panel: revenue won per day in the period [$start, $until] (the caller's
-- period: a quarter, or all time), plus one row with day NULL holding the target of the
-- quarter starting $quarter_start from the targets table (NULL amount when there is none).
SELECT NULL::DATE AS day, (SELECT revenue FROM targets WHERE quarter_start = $quarter_start)::DOUBLE AS amount
UNION ALL
SELECT closed_at::DATE AS day, sum(amount)::DOUBLE AS amount
FROM deals
WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until
GROUP BY 1
ORDER BY day NULLS FIRST
