-- Keep the rejected rows' errors (--skip-invalid) with the run that rejected them.
INSERT INTO import_quarantine (run_id, tbl, file, line, col, value, reason)
SELECT $run_id, tbl, file, line, col, value, reason
FROM (
    SELECT min(e.tbl) AS tbl, e.file, e.line, coalesce(c.source, e.col) AS col, e.value,
           e.reason, min(f.file_index) AS file_index
    FROM imp_errors AS e
    JOIN imp_files AS f ON f.file = e.file
    LEFT JOIN imp_columns AS c ON c.file = e.file AND c.col = e.col
    GROUP BY ALL
)
ORDER BY file_index, line, col;
