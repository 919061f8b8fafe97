-- Keep the rejected rows' errors (--skip-invalid) with the run that rejected them.
INSERT INTO import_quarantine (run_id, tbl, file, line, col, value, reason)
SELECT $run_id, tbl, file, line, col, value, reason
FROM imp_report
ORDER BY file_index, line, col;
