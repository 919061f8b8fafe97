-- Demo step 3: leads, from the plan.
-- One pass: name the lead, then derive e-mail and touch times. Last touch: closed leads at
-- their last move, open ones somewhere between entering the stage and now (a low draw
-- makes a stalled lead).
INSERT INTO leads
WITH named AS (
SELECT
    lead_id,
    'DEMO-' || lead_id AS external_id,
    list_extract(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne',
                  'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Gringotts', 'Oscorp', 'Aperture',
                  'Massive', 'Pied Piper', 'Dunder', 'Prestige', 'Monarch'],
                 1 + floor(u_name1 * 20)::INTEGER)
        || ' ' ||
    list_extract(['Labs', 'Systems', 'Health', 'Logistics', 'Capital', 'Foods', 'Energy',
                  'Robotics', 'Media', 'Analytics'], 1 + floor(u_name2 * 10)::INTEGER) AS company,
    list_extract(['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery',
                  'Quinn', 'Harper', 'Rowan'], 1 + floor(u_name2 * 12)::INTEGER)
        || ' ' ||
    list_extract(['Nguyen', 'Smith', 'Garcia', 'Okafor', 'Kowalski', 'Tanaka', 'Müller', 'Rossi',
                  'Dubois', 'Singh', 'Larsen', 'Cohen', 'Silva', 'Novak'],
                 1 + floor(u_name1 * 14)::INTEGER) AS contact_name,
    CASE WHEN t_mql <= now_ts THEN owner_id END AS owner_id,
    campaign_id,
    (CASE WHEN good THEN 55 + u_score * 45 ELSE 8 + u_score * 62 END)::INTEGER AS score,
    stage,
    entered_at AS stage_entered_at,
    created_at,
    CASE WHEN t_mql <= now_ts THEN t_mql END AS mql_at,
    CASE WHEN t_sal <= now_ts THEN t_sal END AS accepted_at,
    CASE
        WHEN stage = 'recycled' THEN
            list_extract(['not_icp', 'wrong_territory', 'bad_contact_data', 'not_icp'],
                         1 + floor(u_reason * 4)::INTEGER)
        WHEN stage = 'disqualified' AND t_lost <= now_ts THEN
            list_extract(['no_budget', 'bad_timing', 'competitor'], 1 + floor(u_reason * 3)::INTEGER)
        WHEN stage = 'disqualified' THEN
            list_extract(['no_need', 'no_budget', 'student', 'competitor', 'unresponsive'],
                         1 + floor(u_reason * 5)::INTEGER)
    END AS reason_code,
    CASE WHEN stage = 'recycled' THEN (entered_at + INTERVAL 60 DAY)::DATE END AS recycle_on,
    now_ts AS updated_at,
    p.entered_at AS _entered, p.now_ts AS _now, p.u_touch AS _u_touch, p.u_d1 AS _u_d1,
    p.t_sal AS _t_sal
FROM plan_stage AS p
)
SELECT
    lead_id, external_id, company, contact_name,
    lower(replace(contact_name, ' ', '.')) || '@' || lower(replace(company, ' ', '')) || '.example',
    owner_id, campaign_id, score, stage, stage_entered_at, created_at, mql_at, accepted_at,
    CASE
        WHEN stage IN ('sal', 'sql', 'opportunity', 'customer')
          OR (stage = 'disqualified' AND _t_sal IS NOT NULL) THEN
            least(_t_sal + to_microseconds((_u_d1 * 60 * 3600e6)::BIGINT), _entered)
    END AS first_contact_at,
    CASE
        WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            _entered + to_microseconds((epoch_us(_now - _entered) * pow(_u_touch, 0.6))::BIGINT)
        ELSE _entered
    END AS last_touch_at,
    reason_code, recycle_on, updated_at
FROM named;
