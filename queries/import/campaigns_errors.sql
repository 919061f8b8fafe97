-- Every invalid cell of the campaign rows.
INSERT INTO imp_errors
SELECT 'campaigns', file, line, col, value, reason FROM (
    SELECT file, line, 'name' AS col, NULL AS value, 'missing name' AS reason
    FROM imp_campaigns WHERE name IS NULL
    UNION ALL
    SELECT file, line, 'owner', owner, 'unknown owner (import with --create-owners to add it)'
    FROM imp_campaigns WHERE owner IS NOT NULL AND v_owner IS NULL
    UNION ALL
    SELECT file, line, 'started_on', started_on, imp_bad_date(started_on)
    FROM imp_campaigns WHERE started_on IS NOT NULL AND v_started_on IS NULL
    UNION ALL
    SELECT file, line, 'ended_on', ended_on, imp_bad_date(ended_on)
    FROM imp_campaigns WHERE ended_on IS NOT NULL AND v_ended_on IS NULL
    UNION ALL
    SELECT file, line, 'spend', spend, 'not a number'
    FROM imp_campaigns WHERE spend IS NOT NULL AND v_spend IS NULL
    UNION ALL
    SELECT file, line, 'spend', spend, 'negative amount'
    FROM imp_campaigns WHERE v_spend < 0
);
