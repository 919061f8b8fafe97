-- Rows rejected (invalid in any table, not counting exact repeats, which are skipped).
SELECT
    (SELECT count(*) FROM imp_invalid) - (SELECT count(*) FROM imp_skip) AS invalid_rows;
