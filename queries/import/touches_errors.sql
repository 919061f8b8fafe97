-- Every invalid cell of the touch rows.
INSERT INTO imp_errors
SELECT 'touches', file, line, col, value, reason FROM (
    SELECT file, line, 'lead' AS col, NULL AS value, 'missing lead' AS reason
    FROM imp_touches WHERE lead IS NULL
    UNION ALL
    SELECT file, line, 'lead', lead, 'unknown lead'
    FROM imp_touches WHERE lead IS NOT NULL AND NOT v_lead_known
    UNION ALL
    SELECT file, line, 'person', person, 'unknown owner (import with --create-owners to add it)'
    FROM imp_touches WHERE person IS NOT NULL AND v_person IS NULL
    UNION ALL
    SELECT file, line, 'kind', NULL, 'missing kind' FROM imp_touches WHERE kind IS NULL
    UNION ALL
    SELECT file, line, 'touched_at', NULL, 'missing date' FROM imp_touches WHERE touched_at IS NULL
    UNION ALL
    SELECT file, line, 'touched_at', touched_at, imp_bad_date(touched_at)
    FROM imp_touches WHERE touched_at IS NOT NULL AND v_touched_at IS NULL
);
