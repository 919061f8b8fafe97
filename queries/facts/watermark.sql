-- The watermark of the tables the facts come from: their row counts and newest
-- updated_at. count(*) comes from table metadata; the maxima scan one column each.
SELECT
    (SELECT count(*) FROM leads) AS leads,
    (SELECT count(*) FROM deals) AS deals,
    (SELECT count(*) FROM disputes) AS disputes,
    (SELECT max(updated_at) FROM leads) AS leads_updated,
    (SELECT max(updated_at) FROM deals) AS deals_updated
