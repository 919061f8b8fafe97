-- The first $limit errors, for the screen.
SELECT tbl, file, line, col, value, reason FROM imp_report
ORDER BY file_index, line, col, reason
LIMIT $limit;
