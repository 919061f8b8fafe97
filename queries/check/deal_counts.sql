-- standup check: how many deals fail each check (the flags of check/deal_flags.sql), in
-- the order of standup.check.DEAL_CHECKS, and the median amount the outliers are judged by.
SELECT
    count(*) FILTER (WHERE no_created_at),
    count(*) FILTER (WHERE no_closed_at),
    count(*) FILTER (WHERE no_amount),
    count(*) FILTER (WHERE larger_than_all_others),
    count(*) FILTER (WHERE amount_outliers),
    any_value(median)
FROM (@deal_flags)
