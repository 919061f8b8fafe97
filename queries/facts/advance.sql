-- After a writer kept the facts in step with its change (same transaction): move the
-- watermark to the tables as they are now, so the next refresh trusts the facts again.
UPDATE facts_stamp AS s
SET leads = w.leads, deals = w.deals, disputes = w.disputes,
    leads_updated = w.leads_updated, deals_updated = w.deals_updated
FROM (@watermark) AS w
