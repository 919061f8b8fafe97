-- Deal and touch rows whose lead exists only as a rejected lead row of this import are
-- rejected too (with --skip-invalid they would otherwise point at nothing).
INSERT INTO imp_errors
SELECT tbl, file, line, 'lead', lead, 'lead row is invalid'
FROM (
    SELECT 'deals' AS tbl, file, line, lead FROM imp_deals
    UNION ALL
    SELECT 'touches', file, line, lead FROM imp_touches
) AS r
WHERE r.lead IN (SELECT key FROM imp_lead_names)
  AND r.lead NOT IN (SELECT key FROM imp_lead_keys)
  AND NOT EXISTS (SELECT 1 FROM imp_invalid AS i WHERE i.file = r.file AND i.line = r.line);
