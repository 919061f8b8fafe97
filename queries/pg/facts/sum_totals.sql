-- PostgreSQL twin of queries/facts/sum.sql's SELECT: the facts in facts_change (a CTE of
-- the statement this is spliced into: old facts with sign -1, new ones with +1) summed per
-- (campaign, stage), to be appended to fact_totals. Ranks: 2 mql, 3 sal, 6 customer.
SELECT
    campaign_id, stage,
    sum(sign),
    coalesce(sum(sign) FILTER (WHERE mql), 0),
    coalesce(sum(sign) FILTER (WHERE accepted), 0),
    sum(sign * open_amount),
    sum(sign * won_amount),
    sum(sign * disputes),
    sum(sign * quality_disputes),
    coalesce(sum(sign) FILTER (WHERE reached >= 2), 0),
    coalesce(sum(sign) FILTER (WHERE reached >= 3), 0),
    coalesce(sum(sign) FILTER (WHERE reached >= 6), 0),
    sum(sign * won_deals),
    sum(sign * closed_deals),
    sum(sign * deal_amount),
    max(won_max) FILTER (WHERE sign > 0),
    max(latest_at) FILTER (WHERE sign > 0)
FROM facts_change
GROUP BY campaign_id, stage
