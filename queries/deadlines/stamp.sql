-- Restamp, step 2: every lead's SLA deadline, in leads' row order (the dashboard reads
-- lead_deadlines with a POSITIONAL JOIN). The expressions must match panels/stalled.sql;
-- a test checks that stamped and computed deadlines agree.
INSERT INTO lead_deadlines
WITH deadlines AS (
    SELECT
        lead_id, updated_at, rowid AS rid,
        stage_entered_at + to_days(CASE stage
            WHEN 'inquiry' THEN $inquiry_days
            WHEN 'mql' THEN $mql_days
            WHEN 'sal' THEN $sal_days
            WHEN 'sql' THEN $sql_days
            WHEN 'opportunity' THEN $opportunity_days
        END) AS stage_dl,
        CASE WHEN stage IN ('sal', 'sql', 'opportunity') THEN
            coalesce(last_touch_at, stage_entered_at) + to_days($no_touch_days)
        END AS touch_dl,
        CASE WHEN stage = 'mql' THEN
            coalesce(mql_at, stage_entered_at) + to_hours($accept_mql_hours)
        END AS accept_dl
    FROM leads
)
SELECT
    lead_id, updated_at,
    least(stage_dl, touch_dl, accept_dl) AS stall_at,
    CASE least(stage_dl, touch_dl, accept_dl)
        WHEN accept_dl THEN 'not accepted'
        WHEN touch_dl THEN 'no touch'
        WHEN stage_dl THEN 'in stage'
    END AS stall_rule
FROM deadlines
ORDER BY rid
