-- Restamp, last step: remember the SLA the deadlines follow and the watermark the facts
-- match (facts/watermark.sql, spliced in below); returns how many leads were stamped.
INSERT INTO facts_stamp
SELECT $sla, $stamped_at, w.leads, w.deals, w.disputes, w.leads_updated, w.deals_updated
FROM (@watermark) AS w
RETURNING leads
