-- Every invalid cell of the people rows, one error row each.
INSERT INTO imp_errors
SELECT 'people', file, line, col, value, reason FROM (
    SELECT file, line, 'external_id' AS col, NULL AS value, 'missing id' AS reason
    FROM imp_people WHERE external_id IS NULL
    UNION ALL
    SELECT file, line, 'name', NULL, 'missing name' FROM imp_people WHERE name IS NULL
    UNION ALL
    SELECT file, line, 'team', NULL, 'missing team' FROM imp_people WHERE team IS NULL
    UNION ALL
    SELECT file, line, 'team', team, 'unknown team'
    FROM imp_people WHERE v_team NOT IN ('sales', 'marketing', 'revops')
);
