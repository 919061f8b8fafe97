-- PostgreSQL twin of queries/facts/sum_days.sql's SELECT (see there for each measure): the
-- facts in facts_change per (measure, stage, day, bucket), to be appended to fact_days.
-- deal_list is JSONB here, so its timestamps come back from text.
SELECT 'reached', m.stage, m.reached_at::DATE, NULL::INTEGER, sum(f.sign), NULL::DOUBLE PRECISION
FROM facts_change AS f,
     unnest(@funnel, ARRAY[f.created_at, f.mql_at, f.accepted_at, f.sql_at, f.opportunity_at,
                           f.customer_at]) WITH ORDINALITY AS m(stage, reached_at, rank)
WHERE f.reached IS NOT NULL AND m.rank <= f.reached
GROUP BY m.stage, m.reached_at::DATE
UNION ALL
SELECT 'advanced', m.stage, m.reached_at::DATE, NULL, sum(f.sign), NULL
FROM facts_change AS f,
     unnest(@funnel, ARRAY[f.created_at, f.mql_at, f.accepted_at, f.sql_at, f.opportunity_at,
                           f.customer_at]) WITH ORDINALITY AS m(stage, reached_at, rank)
WHERE f.reached IS NOT NULL AND m.rank < f.reached
GROUP BY m.stage, m.reached_at::DATE
UNION ALL
SELECT
    'contact', 'sal', accepted_at::DATE,
    CASE WHEN contact_hours IS NULL THEN -1
         ELSE least(greatest(floor(contact_hours), 0), 168)::INTEGER END,
    sum(sign), NULL
FROM facts_change
WHERE accepted_at IS NOT NULL
GROUP BY 3, 4
UNION ALL
SELECT
    'won', 'deal', (d ->> 'closed_at')::TIMESTAMP::DATE,
    CASE WHEN d ->> 'created_at' IS NULL THEN -1
         ELSE least(greatest(floor(extract(epoch FROM
             (d ->> 'closed_at')::TIMESTAMP - (d ->> 'created_at')::TIMESTAMP) / 86400), 0),
             730)::INTEGER
    END,
    sum(sign), sum(sign * (d ->> 'amount')::DOUBLE PRECISION)
FROM facts_change, jsonb_array_elements(deal_list) AS d
WHERE d ->> 'stage' = 'won'
GROUP BY 3, 4
UNION ALL
SELECT 'lost', 'deal', (d ->> 'closed_at')::TIMESTAMP::DATE, NULL, sum(sign), NULL
FROM facts_change, jsonb_array_elements(deal_list) AS d
WHERE d ->> 'stage' = 'lost'
GROUP BY 3
UNION ALL
SELECT
    'created', 'deal', (d ->> 'created_at')::TIMESTAMP::DATE, NULL, sum(sign),
    sum(sign * (d ->> 'amount')::DOUBLE PRECISION)
FROM facts_change, jsonb_array_elements(deal_list) AS d
GROUP BY 3
UNION ALL
SELECT
    'due', 'deal', (d ->> 'expected_close')::DATE, NULL, sum(sign),
    sum(sign * (d ->> 'amount')::DOUBLE PRECISION)
FROM facts_change, jsonb_array_elements(deal_list) AS d
WHERE d ->> 'stage' NOT IN ('won', 'lost')
GROUP BY 3
