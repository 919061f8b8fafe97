-- Demo step 3: leads, from the plan, in one pass. Names are picked from lists by the
-- lead's draws; the e-mail is built from lower-cased copies of the same lists (the same
-- text as lower-casing the name, without a per-row string pass). Last touch: closed leads
-- at their last move, open ones somewhere between entering the stage and now (a low draw
-- makes a stalled lead). reached_stage and the milestones follow the same plan times as
-- the stage history (06_history.sql), so the two always agree.
SET VARIABLE companies_a = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark',
    'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Gringotts', 'Oscorp', 'Aperture',
    'Massive', 'Pied Piper', 'Dunder', 'Prestige', 'Monarch'];
SET VARIABLE companies_b = ['Labs', 'Systems', 'Health', 'Logistics', 'Capital', 'Foods', 'Energy',
    'Robotics', 'Media', 'Analytics'];
SET VARIABLE first_names = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie',
    'Avery', 'Quinn', 'Harper', 'Rowan'];
SET VARIABLE last_names = ['Nguyen', 'Smith', 'Garcia', 'Okafor', 'Kowalski', 'Tanaka', 'Müller',
    'Rossi', 'Dubois', 'Singh', 'Larsen', 'Cohen', 'Silva', 'Novak'];
SET VARIABLE companies_a_mail = list_transform(getvariable('companies_a'), x -> lower(replace(x, ' ', '')));
SET VARIABLE companies_b_mail = list_transform(getvariable('companies_b'), x -> lower(x));
SET VARIABLE first_names_mail = list_transform(getvariable('first_names'), x -> lower(x));
SET VARIABLE last_names_mail = list_transform(getvariable('last_names'), x -> lower(x));

INSERT INTO leads
WITH picks AS (
    SELECT
        p.*,
        1 + floor(u_name1 * 20)::INTEGER AS ca,
        1 + floor(u_name2 * 10)::INTEGER AS cb,
        1 + floor(u_name2 * 12)::INTEGER AS fn,
        1 + floor(u_name1 * 14)::INTEGER AS ln
    FROM plan_stage AS p
)
SELECT
    lead_id,
    'DEMO-' || lead_id AS external_id,
    getvariable('companies_a')[ca] || ' ' || getvariable('companies_b')[cb] AS company,
    getvariable('first_names')[fn] || ' ' || getvariable('last_names')[ln] AS contact_name,
    getvariable('first_names_mail')[fn] || '.' || getvariable('last_names_mail')[ln] || '@'
        || getvariable('companies_a_mail')[ca] || getvariable('companies_b_mail')[cb] || '.example'
        AS email,
    CASE WHEN t_mql <= now_ts THEN owner_id END AS owner_id,
    campaign_id,
    (CASE WHEN good THEN 55 + u_score * 45 ELSE 8 + u_score * 62 END)::INTEGER AS score,
    stage,
    entered_at AS stage_entered_at,
    created_at,
    CASE WHEN t_mql <= now_ts THEN t_mql END AS mql_at,
    CASE WHEN t_sal <= now_ts THEN t_sal END AS accepted_at,
    CASE
        WHEN stage IN ('sal', 'sql', 'opportunity', 'customer')
          OR (stage = 'disqualified' AND t_sal IS NOT NULL) THEN
            least(t_sal + to_microseconds((u_d1 * 60 * 3600e6)::BIGINT), entered_at)
    END AS first_contact_at,
    CASE
        WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            entered_at + to_microseconds((epoch_us(now_ts - entered_at) * pow(u_touch, 0.6))::BIGINT)
        ELSE entered_at
    END AS last_touch_at,
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
    -- migration 010: the furthest main-path stage the plan reached by now, and when
    CASE
        WHEN t_won <= now_ts THEN 'customer'
        WHEN t_opp <= now_ts THEN 'opportunity'
        WHEN t_sql <= now_ts THEN 'sql'
        WHEN t_sal <= now_ts THEN 'sal'
        WHEN t_mql <= now_ts THEN 'mql'
        ELSE 'inquiry'
    END AS reached_stage,
    CASE WHEN t_sql <= now_ts THEN t_sql END AS sql_at,
    CASE WHEN t_opp <= now_ts THEN t_opp END AS opportunity_at,
    CASE WHEN t_won <= now_ts THEN t_won END AS customer_at
FROM picks;
