-- Exact repeats of an earlier row (same key, same values): skipped, counted.
INSERT INTO imp_skip
SELECT $tbl, file, line
FROM (
    SELECT file, line,
           row_number() OVER (PARTITION BY key, row_hash ORDER BY file, line) AS nth
    FROM imp_keys
    WHERE key IN (SELECT key FROM imp_dup_keys)
)
WHERE nth > 1;
