-- SQLite translation of queries/panels/campaigns.sql.
WITH per_lead AS (
    SELECT campaign_id, count(*) AS leads, count(mql_at) AS mqls, count(accepted_at) AS accepted
    FROM leads
    GROUP BY campaign_id
), per_deal AS (
    SELECT
        l.campaign_id,
        coalesce(sum(d.amount) FILTER (WHERE d.stage NOT IN ('won', 'lost')), 0) AS pipeline,
        coalesce(sum(d.amount) FILTER (WHERE d.stage = 'won'), 0) AS won
    FROM deals AS d
    JOIN leads AS l ON l.lead_id = d.lead_id
    GROUP BY l.campaign_id
), per_dispute AS (
    SELECT
        l.campaign_id,
        count(*) AS disputes,
        count(*) FILTER (WHERE x.raised_by = 'sales') AS quality_disputes
    FROM disputes AS x
    JOIN leads AS l ON l.lead_id = x.lead_id
    GROUP BY l.campaign_id
)
SELECT
    c.campaign_id, c.name, c.channel, c.spend,
    coalesce(pl.leads, 0) AS leads,
    coalesce(pl.mqls, 0) AS mqls,
    coalesce(pl.accepted, 0) AS accepted,
    coalesce(px.disputes, 0) AS disputes,
    coalesce(px.quality_disputes, 0) AS quality_disputes,
    coalesce(pd.pipeline, 0) AS pipeline,
    coalesce(pd.won, 0) AS won
FROM campaigns AS c
LEFT JOIN per_lead AS pl ON pl.campaign_id = c.campaign_id
LEFT JOIN per_deal AS pd ON pd.campaign_id = c.campaign_id
LEFT JOIN per_dispute AS px ON px.campaign_id = c.campaign_id
ORDER BY c.campaign_id
