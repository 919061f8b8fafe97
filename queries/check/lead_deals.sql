-- standup check, leads against their deals: won deals on leads that are not customers,
-- and customers without a won deal; each a count and the first $examples lead ids. Each
-- starts from its small side (won deals; customers), so neither probes every lead.
WITH won AS (
    SELECT DISTINCT lead_id FROM deals WHERE stage = 'won'
), won_not_customer AS (
    SELECT l.lead_id FROM leads AS l SEMI JOIN won AS w ON w.lead_id = l.lead_id
    WHERE l.stage <> 'customer'
), customer_without_won AS (
    SELECT l.lead_id FROM leads AS l ANTI JOIN won AS w ON w.lead_id = l.lead_id
    WHERE l.stage = 'customer'
)
SELECT
    (SELECT count(*) FROM won_not_customer),
    (SELECT min(lead_id, $examples) FROM won_not_customer),
    (SELECT count(*) FROM customer_without_won),
    (SELECT min(lead_id, $examples) FROM customer_without_won)
