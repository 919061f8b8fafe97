-- Campaigns scoreboard, first-touch attribution (leads.campaign_id), campaign lifetime:
-- leads, MQLs, how many sales accepted, disputes raised on its leads, open pipeline and
-- won revenue of its leads' deals, and spend. The numbers are summed from fact_totals
-- (migration 009; the caller ran facts.prepare). Rates are computed by the caller.
WITH per_campaign AS (
    SELECT
        campaign_id,
        sum(leads) AS leads, sum(mqls) AS mqls, sum(accepted) AS accepted,
        sum(disputes) AS disputes, sum(quality_disputes) AS quality_disputes,
        sum(open_amount) AS pipeline, sum(won_amount) AS won
    FROM fact_totals
    GROUP BY campaign_id
)
SELECT
    c.campaign_id, c.name, c.channel, c.spend::DOUBLE AS spend,
    coalesce(p.leads, 0) AS leads,
    coalesce(p.mqls, 0) AS mqls,
    coalesce(p.accepted, 0) AS accepted,
    coalesce(p.disputes, 0) AS disputes,
    coalesce(p.quality_disputes, 0) AS quality_disputes,
    coalesce(p.pipeline, 0)::DOUBLE AS pipeline,
    coalesce(p.won, 0)::DOUBLE AS won
FROM campaigns AS c
LEFT JOIN per_campaign AS p ON p.campaign_id = c.campaign_id
ORDER BY c.campaign_id
