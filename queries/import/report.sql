-- Every error, in file order, naming the file and the export's own column. A lead derived
-- from a deal row reports against the deal file's columns, and the same cell is reported once.
CREATE OR REPLACE TEMP TABLE imp_report AS
SELECT min(e.tbl) AS tbl, f.label AS file, e.line, coalesce(c.source, e.col) AS col, e.value,
       e.reason, e.file AS file_index
FROM imp_errors AS e
JOIN imp_files AS f ON f.file = e.file
LEFT JOIN imp_columns AS c ON c.file = e.file AND c.col = e.col
-- A lead derived from a deal row (create_leads) repeats the deal's id problems under its
-- own 'deal:<id>' key: the deal row's error says it once, with the file's own value.
WHERE NOT (e.tbl = 'leads' AND e.col = 'external_id' AND EXISTS (
    SELECT 1 FROM imp_errors AS d
    WHERE d.tbl = 'deals' AND d.file = e.file AND d.line = e.line AND d.col = 'external_id'))
GROUP BY ALL
ORDER BY file_index, e.line, col, e.reason
