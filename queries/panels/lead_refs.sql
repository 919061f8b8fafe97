-- CRM ids of the leads a panel shows (@lead_ids, a literal list: the primary key's index
-- serves it, so labelling at most a few hundred rows never scans the million leads), and
-- of each one's biggest open deal (the deal the Stalled panel names; the deals_lead index).
-- The rest of a row's labels come from lead_facts.
WITH open_deals AS (
    SELECT lead_id, arg_max({'id': deal_id, 'ref': external_id}, amount) AS deal
    FROM deals
    WHERE lead_id IN (@lead_ids) AND stage NOT IN ('won', 'lost')
    GROUP BY lead_id
)
SELECT l.lead_id, l.external_id, d.deal.id AS deal_id, d.deal.ref AS deal_ref
FROM leads AS l
LEFT JOIN open_deals AS d ON d.lead_id = l.lead_id
WHERE l.lead_id IN (@lead_ids)
