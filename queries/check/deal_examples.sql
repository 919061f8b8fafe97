-- standup check: the first $examples deal ids failing each check (the flags of
-- check/deal_flags.sql), in the order of standup.check.DEAL_CHECKS; outliers largest first.
SELECT
    min(deal_id, $examples) FILTER (WHERE no_created_at),
    min(deal_id, $examples) FILTER (WHERE no_closed_at),
    min(deal_id, $examples) FILTER (WHERE no_amount),
    arg_max(deal_id, amount, $examples) FILTER (WHERE larger_than_all_others),
    arg_max(deal_id, amount, $examples) FILTER (WHERE amount_outliers)
FROM (@deal_flags)
