-- Campaigns scoreboard, first-touch attribution (leads.campaign_id), campaign lifetime:
-- leads, leads that reached mql / sal / customer (whatever their stage now: a converted
-- lead still counts as an MQL), disputes raised on its leads, its leads' deals (open
-- pipeline, all deal value sourced, won revenue, won and closed deal counts, the biggest
-- won deal), and spend. Summed from fact_totals (migrations 009, 011; the caller ran
-- facts.prepare). Rates and flags are computed by the caller.
WITH per_campaign AS (
    SELECT
        campaign_id,
        sum(leads) AS leads, sum(reached_mql) AS mqls, sum(reached_sal) AS accepted,
        sum(reached_customer) AS customers,
        sum(disputes) AS disputes, sum(quality_disputes) AS quality_disputes,
        sum(open_amount) AS pipeline, sum(deal_amount) AS sourced, sum(won_amount) AS won,
        sum(won_deals) AS won_deals, sum(closed_deals) AS closed_deals,
        max(won_max) AS won_max
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
    coalesce(p.won, 0)::DOUBLE AS won,
    coalesce(p.customers, 0) AS customers,
    coalesce(p.sourced, 0)::DOUBLE AS sourced,
    coalesce(p.won_deals, 0) AS won_deals,
    coalesce(p.closed_deals, 0) AS closed_deals,
    coalesce(p.won_max, 0)::DOUBLE AS won_max
FROM campaigns AS c
LEFT JOIN per_campaign AS p ON p.campaign_id = c.campaign_id
ORDER BY c.campaign_id
