-- Keep the rejected rows (--skip-invalid) with the run that rejected them: every error,
-- and the whole row as mapped onto standup's columns (JSON), so it can be fixed and re-fed.
INSERT INTO import_quarantine (run_id, tbl, file, line, col, value, reason, row_data)
SELECT $run_id, r.tbl, r.file, r.line, r.col, r.value, r.reason,
       CASE r.tbl WHEN 'people' THEN to_json(p) WHEN 'campaigns' THEN to_json(c)
                  WHEN 'leads' THEN to_json(l) WHEN 'deals' THEN to_json(d)
                  ELSE to_json(t) END::VARCHAR
FROM imp_report AS r
LEFT JOIN imp_src_people AS p
    ON r.tbl = 'people' AND p.file = r.file_index AND p.line = r.line
LEFT JOIN imp_src_campaigns AS c
    ON r.tbl = 'campaigns' AND c.file = r.file_index AND c.line = r.line
LEFT JOIN imp_src_leads AS l
    ON r.tbl = 'leads' AND l.file = r.file_index AND l.line = r.line
LEFT JOIN imp_src_deals AS d
    ON r.tbl = 'deals' AND d.file = r.file_index AND d.line = r.line
LEFT JOIN imp_src_touches AS t
    ON r.tbl = 'touches' AND t.file = r.file_index AND t.line = r.line
ORDER BY r.file_index, r.line, r.col;
