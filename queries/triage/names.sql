-- Names of people and campaigns (both small tables) for the queue rows an action returns.
SELECT 'person' AS kind, person_id AS id, name FROM people
UNION ALL
SELECT 'campaign', campaign_id, name FROM campaigns
