-- Write the campaign plan (including campaigns derived from lead rows).
UPDATE campaigns SET
    external_id = p.external_id, name = p.name, channel = p.channel, owner_id = p.owner_id,
    started_on = p.started_on, ended_on = p.ended_on, spend = p.spend
FROM imp_campaigns_plan AS p
WHERE campaigns.campaign_id = p.campaign_id AND p.action = 'updated';
INSERT INTO campaigns BY NAME
SELECT campaign_id, external_id, name, channel, owner_id, started_on, ended_on, spend
FROM imp_campaigns_plan WHERE action = 'new';
