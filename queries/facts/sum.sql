-- Add the facts in the temporary view facts_change (facts/change_*.sql made it) to
-- fact_totals, per (campaign, stage), each row times its sign: +1 adds a lead's facts, -1
-- takes its old facts back out before they are replaced. Rows are appended, never updated.
INSERT INTO fact_totals
SELECT
    campaign_id, stage,
    sum(sign),
    coalesce(sum(sign) FILTER (WHERE mql), 0),
    coalesce(sum(sign) FILTER (WHERE accepted), 0),
    sum(sign * open_amount),
    sum(sign * won_amount),
    sum(sign * disputes),
    sum(sign * quality_disputes)
FROM temp.main.facts_change
GROUP BY ALL
