-- Demo step 2: decide every lead's path through the funnel, set-based.
-- Each step time is the previous one plus a positive delay, so "reached stage X" is
-- simply "t_x <= now"; a NULL time means the lead never takes that branch.
--
-- One table, only the columns later steps use, in the physical order the steps rely on:
-- by campaign, then lead (the order the former range join produced, so row ids and the
-- ids derived from them are stable). Campaigns are looked up by percentile (see step 1).
CREATE OR REPLACE TEMP TABLE plan_stage AS
WITH b AS (
    SELECT
        i + 1 AS lead_id,
        getvariable('now')::TIMESTAMP AS now_ts,
        rnd(i, 0) AS u_campaign, rnd(i, 1) AS u_age, rnd(i, 2) AS u_owner, rnd(i, 3) AS u_good,
        rnd(i, 4) AS u_mql, rnd(i, 5) AS u_accept, rnd(i, 6) AS u_reject, rnd(i, 7) AS u_sql,
        rnd(i, 8) AS u_opp, rnd(i, 9) AS u_close, rnd(i, 10) AS u_d1, rnd(i, 11) AS u_d2,
        rnd(i, 12) AS u_d3, rnd(i, 13) AS u_d4, rnd(i, 14) AS u_touch, rnd(i, 15) AS u_reason,
        rnd(i, 16) AS u_amount, rnd(i, 17) AS u_name1, rnd(i, 18) AS u_name2, rnd(i, 19) AS u_score
    FROM range(getvariable('n')) AS t(i)
), bc AS (
    SELECT b.*, getvariable('campaign_by_pct')[1 + floor(u_campaign * 100)::INTEGER] AS campaign_id
    FROM b
), bq AS (
    -- campaign ids are 1..8, so the id is the index into the quality list
    SELECT bc.*, getvariable('campaign_quality')[campaign_id] AS quality FROM bc
), c AS (
    SELECT
        bq.*,
        11 + least(floor(u_owner * 6), 5)::INTEGER AS owner_id,
        u_good < quality AS good,
        -- skewed towards recent: the business is growing
        now_ts - to_microseconds((pow(u_age, 1.4) * 200 * 86400e6)::BIGINT) AS created_at
    FROM bq
), m AS (
    SELECT
        c.*,
        CASE WHEN u_mql < (CASE WHEN good THEN 0.92 ELSE 0.62 END)
             THEN created_at + to_microseconds((u_d1 * 4 * 86400e6)::BIGINT) END AS t_mql,
        owner_id = 14 AS slow_rep,
        -- hours sales takes to accept or reject; Tom takes days, or never gets to it
        CASE WHEN owner_id = 14 THEN 20 + u_accept * 260 ELSE 0.5 + pow(u_accept, 2) * 34 END
            AS decide_hours,
        owner_id = 14 AND u_reject > 0.55 AS rots
    FROM c
), d AS (
    SELECT
        m.*,
        t_mql + to_microseconds((decide_hours * 3600e6)::BIGINT) AS t_decide,
        NOT good AND u_reject < 0.45 AS rejected
    FROM m
), e AS (
    SELECT
        d.*,
        CASE WHEN NOT rots AND rejected THEN t_decide END AS t_reject,
        CASE WHEN NOT rots AND NOT rejected THEN t_decide END AS t_sal
    FROM d
), f AS (
    SELECT
        e.*,
        CASE WHEN good AND u_sql < 0.72 THEN t_sal + to_microseconds(((1 + u_d2 * 10) * 86400e6)::BIGINT) END AS t_sql,
        CASE WHEN NOT good AND u_sql < 0.70 THEN t_sal + to_microseconds(((2 + u_d2 * 12) * 86400e6)::BIGINT) END AS t_dq
    FROM e
), g AS (
    SELECT
        f.*,
        CASE WHEN u_opp < 0.62 THEN t_sql + to_microseconds(((2 + u_d3 * 14) * 86400e6)::BIGINT) END AS t_opp
    FROM f
), h AS (
    SELECT
        g.*,
        CASE WHEN u_close < 0.42 THEN t_opp + to_microseconds(((12 + u_d4 * 60) * 86400e6)::BIGINT) END AS t_won,
        CASE WHEN u_close > 0.75 THEN t_opp + to_microseconds(((12 + u_d4 * 50) * 86400e6)::BIGINT) END AS t_lost
    FROM g
)
SELECT
    lead_id, now_ts, campaign_id, owner_id, good, rots, created_at,
    t_mql, t_reject, t_sal, t_dq, t_sql, t_opp, t_won, t_lost,
    u_amount, u_d1, u_d2, u_d3, u_d4, u_name1, u_name2, u_reason, u_score, u_touch,
    CASE
        WHEN t_won <= now_ts THEN 'customer'
        WHEN t_lost <= now_ts THEN 'disqualified'
        WHEN t_opp <= now_ts THEN 'opportunity'
        WHEN t_dq <= now_ts THEN 'disqualified'
        WHEN t_sql <= now_ts THEN 'sql'
        WHEN t_reject <= now_ts THEN 'recycled'
        WHEN t_sal <= now_ts THEN 'sal'
        WHEN t_mql <= now_ts THEN 'mql'
        ELSE 'inquiry'
    END AS stage,
    CASE
        WHEN t_won <= now_ts THEN t_won
        WHEN t_lost <= now_ts THEN t_lost
        WHEN t_opp <= now_ts THEN t_opp
        WHEN t_dq <= now_ts THEN t_dq
        WHEN t_sql <= now_ts THEN t_sql
        WHEN t_reject <= now_ts THEN t_reject
        WHEN t_sal <= now_ts THEN t_sal
        WHEN t_mql <= now_ts THEN t_mql
        ELSE created_at
    END AS entered_at
FROM h
ORDER BY campaign_id, lead_id;
