-- SQLite translation of queries/panels/pipeline.sql (times are epoch microseconds).
SELECT 'leads' AS measure, stage, count(*) AS amount
FROM leads
GROUP BY stage
UNION ALL
SELECT 'value', CASE WHEN stage = 'won' THEN 'customer' ELSE 'opportunity' END, sum(amount)
FROM deals
WHERE stage <> 'lost'
GROUP BY 2
UNION ALL
SELECT 'entered', to_stage, count(*)
FROM stage_history
WHERE moved_at > $since AND moved_at <= $now
GROUP BY to_stage
