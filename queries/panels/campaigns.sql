-- Campaigns scoreboard, first-touch attribution (leads.campaign_id), campaign lifetime:
-- MQLs, how many sales accepted, disputes raised on its leads, open pipeline and won
-- revenue of its leads' deals, and spend. One pass over leads: deals and disputes are
-- first reduced per lead (small build sides), then joined. Rates are the caller's.
WITH deal_totals AS (
    SELECT
        lead_id,
        sum(amount) FILTER (WHERE stage NOT IN ('won', 'lost')) AS pipeline,
        sum(amount) FILTER (WHERE stage = 'won') AS won
    FROM deals
    GROUP BY lead_id
), dispute_totals AS (
    SELECT
        lead_id,
        count(*) AS disputes,
        count(*) FILTER (WHERE raised_by = 'sales') AS quality_disputes
    FROM disputes
    GROUP BY lead_id
), per_campaign AS (
    SELECT
        l.campaign_id,
        count(*) AS leads,
        count(l.mql_at) AS mqls,
        count(l.accepted_at) AS accepted,
        coalesce(sum(x.disputes), 0) AS disputes,
        coalesce(sum(x.quality_disputes), 0) AS quality_disputes,
        coalesce(sum(d.pipeline), 0)::DOUBLE AS pipeline,
        coalesce(sum(d.won), 0)::DOUBLE AS won
    FROM leads AS l
    LEFT JOIN deal_totals AS d ON d.lead_id = l.lead_id
    LEFT JOIN dispute_totals AS x ON x.lead_id = l.lead_id
    GROUP BY l.campaign_id
)
SELECT
    c.campaign_id, c.name, c.channel, c.spend::DOUBLE AS spend,
    coalesce(p.leads, 0) AS leads,
    coalesce(p.mqls, 0) AS mqls,
    coalesce(p.accepted, 0) AS accepted,
    coalesce(p.disputes, 0) AS disputes,
    coalesce(p.quality_disputes, 0) AS quality_disputes,
    coalesce(p.pipeline, 0) AS pipeline,
    coalesce(p.won, 0) AS won
FROM campaigns AS c
LEFT JOIN per_campaign AS p ON p.campaign_id = c.campaign_id
ORDER BY c.campaign_id
