-- Add the facts in facts_change (as facts/sum.sql does) to fact_days (migration 011), per
-- (measure, stage, day), each row times its sign:
--   reached / advanced: one row per main-path stage the lead reached, on the day of that
--     stage's milestone time (NULL: unknown), advanced when it reached the next stage too;
--   contact: accepted leads by day of acceptance and whole hours to first contact
--     (0 when contacted before acceptance, capped at 168; -1 when not contacted yet);
--   won / lost / created / due: the leads' deals (deal_list) by day closed, created or
--     expected to close (open ones), with their amounts; won's bucket is whole days
--     from created to closed (-1: created unknown).
-- $funnel is the main path in order (standup/lifecycle.py).
WITH milestones AS (
    SELECT
        sign, reached,
        unnest($funnel::VARCHAR[]) AS stage,
        unnest(range(1, 1 + len($funnel::VARCHAR[]))) AS rank,
        unnest([created_at, mql_at, accepted_at, sql_at, opportunity_at, customer_at]) AS reached_at
    FROM temp.main.facts_change
    WHERE reached IS NOT NULL
), deals AS (
    SELECT sign, unnest(deal_list, recursive := true)
    FROM temp.main.facts_change
    WHERE deal_list IS NOT NULL
)
INSERT INTO fact_days
SELECT 'reached', stage, reached_at::DATE, NULL, sum(sign), NULL
FROM milestones
WHERE rank <= reached
GROUP BY ALL
UNION ALL
SELECT 'advanced', stage, reached_at::DATE, NULL, sum(sign), NULL
FROM milestones
WHERE rank < reached
GROUP BY ALL
UNION ALL
SELECT
    'contact', 'sal', accepted_at::DATE,
    CASE WHEN contact_hours IS NULL THEN -1
         ELSE least(greatest(floor(contact_hours), 0), 168)::INTEGER END,
    sum(sign), NULL
FROM temp.main.facts_change
WHERE accepted_at IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT
    'won', 'deal', closed_at::DATE,
    CASE WHEN created_at IS NULL THEN -1
         ELSE least(greatest(floor(epoch(closed_at - created_at) / 86400), 0), 730)::INTEGER
    END,
    sum(sign), sum(sign * amount)
FROM deals
WHERE stage = 'won'
GROUP BY ALL
UNION ALL
SELECT 'lost', 'deal', closed_at::DATE, NULL, sum(sign), NULL
FROM deals
WHERE stage = 'lost'
GROUP BY ALL
UNION ALL
SELECT 'created', 'deal', created_at::DATE, NULL, sum(sign), sum(sign * amount)
FROM deals
GROUP BY ALL
UNION ALL
SELECT 'due', 'deal', expected_close, NULL, sum(sign), sum(sign * amount)
FROM deals
WHERE stage NOT IN ('won', 'lost')
GROUP BY ALL
