-- Duplicate keys within the import (any file) for table $tbl. Rows that repeat an earlier
-- row exactly are skipped; rows that share a key but differ are all invalid: nobody can
-- tell which one is right. Reads imp_keys(file, line, key, row_hash), made by the caller.
INSERT INTO imp_errors
SELECT $tbl, k.file, k.line, 'external_id', k.key,
       'duplicate id with different values (lines ' || d.lines || ')'
FROM imp_keys AS k
JOIN (
    SELECT key, string_agg(line::VARCHAR, ', ' ORDER BY file, line) AS lines
    FROM imp_keys
    WHERE key IN (SELECT key FROM imp_dup_keys)
    GROUP BY key
    HAVING count(DISTINCT row_hash) > 1
) AS d USING (key);
