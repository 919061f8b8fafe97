-- Per table: rows rejected, and exact repeats skipped.
SELECT tbl, 'invalid' AS what, count(DISTINCT (file, line)) AS n FROM imp_errors GROUP BY tbl
UNION ALL
SELECT tbl, 'duplicate', count(*) FROM imp_skip GROUP BY tbl;
