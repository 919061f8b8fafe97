-- standup check, what is wrong with each deal: one boolean per check (spliced into
-- check/deal_counts.sql and check/deal_examples.sql as @deal_flags). Amount outliers
-- are judged against the deals that have an amount: one deal larger than all the others
-- combined (with at least 3 such deals), and amounts over $outlier_factor x their median.
WITH priced AS (
    SELECT count(*) AS n, sum(amount::DOUBLE) AS total, max(amount::DOUBLE) AS top,
           median(amount::DOUBLE) AS median
    FROM deals
    WHERE amount > 0
)
SELECT
    d.deal_id,
    d.amount::DOUBLE AS amount,
    p.median,
    d.created_at IS NULL AS no_created_at,
    d.stage IN ('won', 'lost') AND d.closed_at IS NULL AS no_closed_at,
    -- money that counts (open pipeline, won revenue) without an amount
    d.stage <> 'lost' AND coalesce(d.amount, 0) = 0 AS no_amount,
    p.n >= 3 AND d.amount = p.top AND d.amount > p.total - d.amount AS larger_than_all_others,
    d.amount > $outlier_factor * p.median AS amount_outliers
FROM deals AS d, priced AS p
