-- The watermark facts_stamp records with a restamp (as queries/facts/watermark.sql):
-- row counts and newest updated_at of the tables the facts come from. Informational in
-- team mode, where the triggers, not a watermark, keep the facts in step.
SELECT
    (SELECT count(*) FROM leads) AS leads,
    (SELECT count(*) FROM deals) AS deals,
    (SELECT count(*) FROM disputes) AS disputes,
    (SELECT max(updated_at) FROM leads) AS leads_updated,
    (SELECT max(updated_at) FROM deals) AS deals_updated
