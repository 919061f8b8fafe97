-- Every invalid cell of the deal rows.
INSERT INTO imp_errors
SELECT 'deals', file, line, col, value, reason FROM (
    SELECT file, line, 'external_id' AS col, NULL AS value, 'missing id' AS reason
    FROM imp_deals WHERE external_id IS NULL
    UNION ALL
    SELECT file, line, 'stage', NULL, 'missing stage' FROM imp_deals WHERE stage IS NULL
    UNION ALL
    SELECT file, line, 'stage', stage, 'unknown stage'
    FROM imp_deals
    WHERE v_stage NOT IN ('qualification', 'proposal', 'negotiation', 'won', 'lost')
    UNION ALL
    -- (a row without an id is reported once, for that: no lead was derived for it either)
    SELECT file, line, 'lead', NULL, 'missing lead' FROM imp_deals
    WHERE lead IS NULL AND external_id IS NOT NULL
    UNION ALL
    SELECT file, line, 'lead', lead, 'unknown lead'
    FROM imp_deals WHERE lead IS NOT NULL AND NOT v_lead_known
    UNION ALL
    SELECT file, line, 'owner', owner, 'unknown owner (import with --create-owners to add it)'
    FROM imp_deals WHERE owner IS NOT NULL AND v_owner IS NULL
    UNION ALL
    SELECT file, line, 'amount', amount, 'not a number'
    FROM imp_deals WHERE amount IS NOT NULL AND v_amount IS NULL
    UNION ALL
    SELECT file, line, 'amount', amount, 'negative amount' FROM imp_deals WHERE v_amount < 0
    UNION ALL
    SELECT file, line, col, value, imp_bad_date(value)
    FROM (
        SELECT file, line, unnest([
            {'col': 'created_at', 'value': created_at, 'ok': v_created_at IS NOT NULL},
            {'col': 'stage_entered_at', 'value': stage_entered_at,
             'ok': v_stage_entered_at IS NOT NULL},
            {'col': 'last_touch_at', 'value': last_touch_at, 'ok': v_last_touch_at IS NOT NULL},
            {'col': 'expected_close', 'value': expected_close,
             'ok': v_expected_close IS NOT NULL},
            {'col': 'closed_at', 'value': closed_at, 'ok': v_closed_at IS NOT NULL}
        ], recursive := true)
        FROM imp_deals
        WHERE (created_at IS NOT NULL AND v_created_at IS NULL)
           OR (stage_entered_at IS NOT NULL AND v_stage_entered_at IS NULL)
           OR (last_touch_at IS NOT NULL AND v_last_touch_at IS NULL)
           OR (expected_close IS NOT NULL AND v_expected_close IS NULL)
           OR (closed_at IS NOT NULL AND v_closed_at IS NULL)
    )
    WHERE value IS NOT NULL AND NOT ok
);
