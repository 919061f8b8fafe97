-- Every invalid cell of the lead rows. $create_campaigns: an unknown campaign is not an
-- error but a campaign to create.
INSERT INTO imp_errors
SELECT 'leads', file, line, col, value, reason FROM (
    SELECT file, line, 'external_id' AS col, NULL AS value, 'missing id' AS reason
    FROM imp_leads WHERE external_id IS NULL
    UNION ALL
    SELECT file, line, 'stage', NULL, 'missing stage' FROM imp_leads WHERE stage IS NULL
    UNION ALL
    SELECT file, line, 'stage', stage, 'unknown stage'
    FROM imp_leads
    WHERE v_stage NOT IN
        ('inquiry', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified')
    UNION ALL
    SELECT file, line, 'owner', owner, 'unknown owner (import with --create-owners to add it)'
    FROM imp_leads WHERE owner IS NOT NULL AND v_owner IS NULL
    UNION ALL
    SELECT file, line, 'campaign', campaign, 'unknown campaign'
    FROM imp_leads WHERE campaign IS NOT NULL AND v_campaign IS NULL AND NOT $create_campaigns
    UNION ALL
    SELECT file, line, 'score', score, 'not a number'
    FROM imp_leads WHERE score IS NOT NULL AND v_score IS NULL
    UNION ALL
    SELECT file, line, 'reason_code', reason_code,
           'unknown reason code (one of: '
           || (SELECT string_agg(code, ', ' ORDER BY code)
               FROM (SELECT code FROM reason_codes UNION SELECT code FROM imp_reason_codes))
           || '; add one under [[reason_codes]] in the mapping)'
    FROM imp_leads
    WHERE reason_code IS NOT NULL AND reason_code NOT IN (SELECT code FROM reason_codes)
      AND reason_code NOT IN (SELECT code FROM imp_reason_codes)
    UNION ALL
    SELECT file, line, col, value, imp_bad_date(value)
    FROM (
        SELECT file, line, unnest([
            {'col': 'created_at', 'value': created_at, 'ok': v_created_at IS NOT NULL},
            {'col': 'stage_entered_at', 'value': stage_entered_at,
             'ok': v_stage_entered_at IS NOT NULL},
            {'col': 'mql_at', 'value': mql_at, 'ok': v_mql_at IS NOT NULL},
            {'col': 'accepted_at', 'value': accepted_at, 'ok': v_accepted_at IS NOT NULL},
            {'col': 'first_contact_at', 'value': first_contact_at,
             'ok': v_first_contact_at IS NOT NULL},
            {'col': 'last_touch_at', 'value': last_touch_at, 'ok': v_last_touch_at IS NOT NULL},
            {'col': 'recycle_on', 'value': recycle_on, 'ok': v_recycle_on IS NOT NULL},
            {'col': 'sql_at', 'value': sql_at, 'ok': v_sql_at IS NOT NULL},
            {'col': 'opportunity_at', 'value': opportunity_at, 'ok': v_opportunity_at IS NOT NULL},
            {'col': 'customer_at', 'value': customer_at, 'ok': v_customer_at IS NOT NULL}
        ], recursive := true)
        FROM imp_leads
        WHERE (created_at IS NOT NULL AND v_created_at IS NULL)
           OR (stage_entered_at IS NOT NULL AND v_stage_entered_at IS NULL)
           OR (mql_at IS NOT NULL AND v_mql_at IS NULL)
           OR (accepted_at IS NOT NULL AND v_accepted_at IS NULL)
           OR (first_contact_at IS NOT NULL AND v_first_contact_at IS NULL)
           OR (last_touch_at IS NOT NULL AND v_last_touch_at IS NULL)
           OR (recycle_on IS NOT NULL AND v_recycle_on IS NULL)
           OR (sql_at IS NOT NULL AND v_sql_at IS NULL)
           OR (opportunity_at IS NOT NULL AND v_opportunity_at IS NULL)
           OR (customer_at IS NOT NULL AND v_customer_at IS NULL)
    )
    WHERE value IS NOT NULL AND NOT ok
);
