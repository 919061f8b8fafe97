-- Every error, in file order, naming the export's own column. A lead derived from a deal
-- row reports against the deal file's columns, and the same cell is reported once.
SELECT min(e.tbl) AS tbl, e.file, e.line, coalesce(c.source, e.col) AS col, e.value,
       e.reason, min(f.file_index) AS file_index
FROM imp_errors AS e
JOIN imp_files AS f ON f.file = e.file
LEFT JOIN imp_columns AS c ON c.file = e.file AND c.col = e.col
GROUP BY ALL
ORDER BY file_index, e.line, col, e.reason
