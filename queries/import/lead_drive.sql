-- Deals drive their leads (issue 12), after the deal plan is written. For every lead with
-- a deal row in this import:
--   * it has reached opportunity (opportunity_at: its earliest deal's created_at) and,
--     with a won deal, customer (customer_at: its earliest won deal's closed_at);
--   * a deal that is new or changed stage in this import moves the lead: won -> customer,
--     open -> opportunity, lost -> disqualified (getvariable('imp_lost_stage') = 'disqualified', and only
--     when the lead has no open or won deal left; 'keep' leaves it). A customer stays one.
-- Only deals that changed move a lead, so re-importing an unchanged deals file moves
-- nothing; with the leads plan's never-backwards rule the two files settle in any order.
-- One stage_history row per move, at the deal's close (or create) time, NULL if unknown.
CREATE OR REPLACE TEMP TABLE imp_drive AS
WITH touched AS (
    SELECT DISTINCT lead_id FROM imp_deals_plan
),
moved AS (
    SELECT lead_id, stage, created_at, closed_at FROM imp_deals_plan
    WHERE action = 'new' OR (action = 'updated' AND stage IS DISTINCT FROM old_stage)
),
news AS (
    SELECT lead_id,
           bool_or(stage = 'won') AS won,
           min(closed_at) FILTER (WHERE stage = 'won') AS won_at,
           bool_or(stage NOT IN ('won', 'lost')) AS opened,
           min(created_at) FILTER (WHERE stage NOT IN ('won', 'lost')) AS opened_at,
           bool_or(stage = 'lost') AS lost,
           max(closed_at) FILTER (WHERE stage = 'lost') AS lost_at
    FROM moved GROUP BY lead_id
),
all_deals AS (
    SELECT d.lead_id,
           min(d.created_at) AS first_opened,
           min(d.closed_at) FILTER (WHERE d.stage = 'won') AS first_won,
           bool_or(d.stage = 'won') AS any_won,
           bool_or(d.stage NOT IN ('won', 'lost')) AS any_open
    FROM deals AS d JOIN touched USING (lead_id)
    GROUP BY d.lead_id
),
target AS (
    SELECT l.lead_id, l.stage AS old_stage, l.stage_entered_at AS old_entered,
           l.reached_stage AS old_reached, l.opportunity_at AS old_opportunity_at,
           l.customer_at AS old_customer_at,
           CASE
               WHEN l.stage = 'customer' THEN l.stage
               WHEN n.won THEN 'customer'
               WHEN n.opened AND l.stage <> 'opportunity' THEN 'opportunity'
               WHEN n.lost AND getvariable('imp_lost_stage') = 'disqualified' AND NOT a.any_open AND NOT a.any_won
                   THEN 'disqualified'
               ELSE l.stage
           END AS stage,
           n.won_at, n.opened_at, n.lost_at,
           least(l.opportunity_at, a.first_opened) AS opportunity_at,
           least(l.customer_at, a.first_won) AS customer_at,
           a.any_won
    FROM leads AS l
    JOIN all_deals AS a USING (lead_id)
    LEFT JOIN news AS n USING (lead_id)
)
SELECT lead_id, old_stage, stage, opportunity_at, customer_at,
       stage IS DISTINCT FROM old_stage AS moved,
       CASE WHEN stage IS DISTINCT FROM old_stage THEN
           CASE stage WHEN 'customer' THEN won_at WHEN 'opportunity' THEN opened_at
                      WHEN 'disqualified' THEN lost_at END
           ELSE old_entered END AS stage_entered_at,
       getvariable('imp_funnel')[greatest(1, list_position(getvariable('imp_funnel'), old_reached), list_position(getvariable('imp_funnel'), stage),
                        5, CASE WHEN any_won THEN 6 END)] AS reached_stage,
       old_reached, old_opportunity_at, old_customer_at
FROM target;
DELETE FROM imp_drive
WHERE NOT moved
  AND (reached_stage, opportunity_at, customer_at)
      IS NOT DISTINCT FROM (old_reached, old_opportunity_at, old_customer_at);
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source)
SELECT lead_id, old_stage, stage, stage_entered_at, 'import', 'import'
FROM imp_drive WHERE moved
ORDER BY lead_id;
UPDATE leads SET
    stage = d.stage, stage_entered_at = d.stage_entered_at, reached_stage = d.reached_stage,
    opportunity_at = d.opportunity_at, customer_at = d.customer_at,
    -- a lead a won deal made customer is no longer rejected or waiting to be recycled
    reason_code = CASE WHEN d.moved AND d.stage = 'customer' THEN NULL ELSE leads.reason_code END,
    recycle_on = CASE WHEN d.moved THEN NULL ELSE leads.recycle_on END,
    updated_at = getvariable('imp_now')
FROM imp_drive AS d
WHERE leads.lead_id = d.lead_id;
