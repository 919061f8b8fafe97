-- Add the facts in the temporary view facts_change (facts/change_*.sql made it) to
-- fact_totals, per (campaign, stage), each row times its sign: +1 adds a lead's facts, -1
-- takes its old facts back out before they are replaced. Rows are appended, never updated.
-- (The reached ranks: 2 mql, 3 sal, 6 customer, along standup/lifecycle.py FUNNEL.)
INSERT INTO fact_totals
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
    -- maxima over what is put in (see migration 011: an upper bound a restamp makes exact)
    max(won_max) FILTER (WHERE sign > 0),
    max(latest_at) FILTER (WHERE sign > 0)
FROM temp.main.facts_change
GROUP BY ALL
