-- Pipeline panel: one row per (measure, stage).
--   leads:   how many leads sit in the stage now
--   value:   deal value in the stage (open deals -> opportunity, won deals -> customer)
--   entered: how many moves into the stage happened within the conversion window
--            (stage_history), so conversion X -> Y = entered(Y) / entered(X) in the window.
SELECT 'leads' AS measure, stage, count(*)::DOUBLE AS amount
FROM leads
GROUP BY stage
UNION ALL
SELECT 'value', CASE WHEN stage = 'won' THEN 'customer' ELSE 'opportunity' END, sum(amount)::DOUBLE
FROM deals
WHERE stage <> 'lost'
GROUP BY 2
UNION ALL
SELECT 'entered', to_stage, count(*)::DOUBLE
FROM stage_history
WHERE moved_at > $since AND moved_at <= $now
GROUP BY to_stage
