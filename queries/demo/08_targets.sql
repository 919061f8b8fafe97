-- Demo step 8: this quarter's revenue target, set so the team is behind but in reach:
-- the last 90 days' pace.
INSERT INTO targets
SELECT
    date_trunc('quarter', getvariable('now')::TIMESTAMP)::DATE,
    greatest(round(coalesce(sum(amount), 0) * 1.0 / 10000) * 10000, 10000)
FROM deals
WHERE stage = 'won'
  AND closed_at >= getvariable('now')::TIMESTAMP - INTERVAL 90 DAY;

DROP TABLE plan_stage;
DROP TABLE demo_campaigns;
DROP TABLE demo_disputes;
