-- Demo step 7: disputes from both sides, with their audit events.
--   marketing contests a reject ("that lead was good"),
--   sales blames lead quality of the junk campaigns,
--   marketing flags MQLs that sat past the follow-up SLA (mostly Tom's).
CREATE OR REPLACE TEMP TABLE demo_disputes AS
WITH raised AS (
    SELECT lead_id, 'marketing' AS raised_by, 'contest_reject' AS kind, 'good_lead' AS reason_code,
           t_reject + to_microseconds((u_d4 * 2 * 86400e6)::BIGINT) AS opened_at,
           list_extract(['Director-level contact, asked for pricing on the webinar.',
                         'In our ICP: 400 employees, uses two of our integrations.',
                         'Rejected within an hour, nobody called them.'],
                        1 + floor(u_d3 * 3)::INTEGER) AS claim,
           u_d2 AS u
    FROM plan_stage WHERE stage = 'recycled' AND u_d1 < 0.15
    UNION ALL
    SELECT lead_id, 'sales', 'lead_quality', 'junk_source',
           t_dq + to_microseconds((u_d4 * 86400e6)::BIGINT),
           list_extract(['Badge scan from the booth raffle, no buying intent.',
                         'Student downloading the ebook for a thesis.',
                         'Fake phone number, e-mail bounces.'],
                        1 + floor(u_d3 * 3)::INTEGER),
           u_d2
    FROM plan_stage WHERE stage = 'disqualified' AND t_lost IS NULL AND campaign_id IN (3, 4)
                      AND u_d1 < 0.12
    UNION ALL
    SELECT lead_id, 'marketing', 'missed_followup', 'no_follow_up',
           t_mql + to_microseconds(((2 + u_d4 * 3) * 86400e6)::BIGINT),
           list_extract(['MQL for days and not a single call logged.',
                         'Asked for a demo twice; no reply from sales.',
                         'SLA is 24h. This one has been sitting for a week.'],
                        1 + floor(u_d3 * 3)::INTEGER),
           u_d2
    FROM plan_stage WHERE stage = 'mql' AND rots AND u_d1 < 0.35
                      AND t_mql >= now_ts - INTERVAL 30 DAY
)
SELECT
    row_number() OVER (ORDER BY opened_at, lead_id)::INTEGER AS dispute_id,
    r.*,
    -- older disputes were settled in earlier meetings; the last two weeks are still open
    r.opened_at < getvariable('now')::TIMESTAMP - INTERVAL 14 DAY
        AND r.kind <> 'missed_followup' AS settled
FROM raised AS r
WHERE r.opened_at <= getvariable('now')::TIMESTAMP;

INSERT INTO disputes
SELECT
    dispute_id, lead_id, raised_by, kind, reason_code, claim,
    CASE WHEN settled THEN 'resolved' WHEN u < 0.1 THEN 'escalated' ELSE 'open' END,
    opened_at,
    CASE raised_by WHEN 'marketing' THEN 'Maya Chen' ELSE 'Dana Brooks' END,
    opened_at + to_microseconds(getvariable('dispute_due_days') * 86400e6::BIGINT),
    CASE WHEN settled THEN opened_at + to_microseconds(((0.2 + u * 5) * 86400e6)::BIGINT) END,
    CASE WHEN settled THEN CASE kind WHEN 'contest_reject' THEN 'recycle' ELSE 'disqualify' END END,
    CASE WHEN settled THEN
        CASE WHEN kind = 'contest_reject' THEN (CASE WHEN u < 0.5 THEN 'data' ELSE 'marketing' END)
             ELSE 'marketing' END
    END,
    CASE WHEN settled THEN 2 WHEN u < 0.1 THEN 2 ELSE 1 END
FROM demo_disputes;

INSERT INTO dispute_events (dispute_id, lead_id, event_at, actor, action, reason_code, note)
SELECT dispute_id, lead_id, opened_at, opened_by, 'open', reason_code, claim
FROM disputes;

INSERT INTO dispute_events (dispute_id, lead_id, event_at, actor, action, outcome, fault, reason_code, note)
SELECT dispute_id, lead_id, resolved_at, 'Riley Park', outcome, outcome, fault, reason_code,
       'Settled at standup'
FROM disputes WHERE status = 'resolved';

INSERT INTO dispute_events (dispute_id, lead_id, event_at, actor, action, reason_code, note)
SELECT dispute_id, lead_id, opened_at + INTERVAL 1 DAY, 'Riley Park', 'escalate', reason_code,
       'Needs the VP of Sales'
FROM disputes WHERE status = 'escalated';
