-- RevOps numbers from the deals, one row:
--   won, closed, won_value:  won deals / won+lost deals closed in the period
--                            [$start, $until], and the won revenue
--   cycle_days:              median days created -> closed of those won deals
--   cycle_undated:           ... won deals without a created date, left out of it
--   week_deals, week_value:  deals created in the 7 days up to now ($week, $now]
--   slipped, slipped_value:  open deals whose expected close date is before today
SELECT
    count(*) FILTER (WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until),
    count(*) FILTER (WHERE stage IN ('won', 'lost') AND closed_at >= $start AND closed_at <= $until),
    coalesce(sum(amount) FILTER (
        WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until), 0)::DOUBLE,
    median(epoch(closed_at - created_at) / 86400.0) FILTER (
        WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until
          AND created_at IS NOT NULL),
    count(*) FILTER (
        WHERE stage = 'won' AND closed_at >= $start AND closed_at <= $until AND created_at IS NULL),
    count(*) FILTER (WHERE created_at > $week AND created_at <= $now),
    coalesce(sum(amount) FILTER (WHERE created_at > $week AND created_at <= $now), 0)::DOUBLE,
    count(*) FILTER (WHERE stage NOT IN ('won', 'lost') AND expected_close < $today),
    coalesce(sum(amount) FILTER (
        WHERE stage NOT IN ('won', 'lost') AND expected_close < $today), 0)::DOUBLE
FROM deals
