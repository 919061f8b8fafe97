-- Campaigns named only in the leads' campaign column become campaign rows (one per
-- distinct name, case-insensitive), numbered after the planned ones. Only names on valid
-- lead rows count: a rejected row creates nothing.
INSERT INTO imp_campaigns_plan BY NAME
WITH named AS (
    SELECT lower(v.campaign) AS key,
           arg_min(v.campaign, {'file': v.file, 'line': v.line}) AS name,
           arg_min(v.channel, {'file': v.file, 'line': v.line}) AS channel,
           min({'file': v.file, 'line': v.line}) AS first
    FROM imp_leads AS v
    ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line
    WHERE v.campaign IS NOT NULL AND v.v_campaign IS NULL
    GROUP BY lower(v.campaign)
)
SELECT
    first.file AS file, first.line AS line,
    (SELECT greatest(coalesce(max(campaign_id), 0),
                     (SELECT coalesce(max(campaign_id), 0) FROM imp_campaigns_plan))
     FROM campaigns)
    + row_number() OVER (ORDER BY first) AS campaign_id,
    true AS is_new, NULL AS external_id, name, channel, NULL AS owner_id,
    NULL AS started_on, NULL AS ended_on, 0 AS spend, 'new' AS action
FROM named;
