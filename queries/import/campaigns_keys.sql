-- Every way a lead row may name a campaign (external id or name, case-insensitive)
-- -> campaign_id, over the database and the campaigns about to be written.
CREATE OR REPLACE TEMP TABLE imp_campaign_keys AS
WITH every AS (
    SELECT campaign_id, external_id, name FROM campaigns
    WHERE campaign_id NOT IN (SELECT campaign_id FROM imp_campaigns_plan)
    UNION ALL
    SELECT campaign_id, external_id, name FROM imp_campaigns_plan
)
SELECT key, min(campaign_id) AS campaign_id
FROM (
    SELECT lower(external_id) AS key, campaign_id FROM every
    UNION ALL SELECT lower(name), campaign_id FROM every
)
WHERE key IS NOT NULL
GROUP BY key;
