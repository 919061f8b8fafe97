-- Each valid touch is new unless the same lead already has the same kind of touch at the
-- same time (then unchanged: re-importing a file adds nothing).
CREATE OR REPLACE TEMP TABLE imp_touches_plan AS
SELECT
    v.file, v.line, v.v_lead AS lead_id, v.v_person AS person_id, v.v_kind AS kind,
    v.v_touched_at AS touched_at, v.note,
    CASE WHEN EXISTS (
        SELECT 1 FROM touches AS t
        WHERE t.lead_id = v.v_lead AND t.kind = v.v_kind AND t.touched_at = v.v_touched_at
    ) THEN 'unchanged' ELSE 'new' END AS action
FROM (
    SELECT t.* EXCLUDE (v_lead_known), lk.lead_id AS v_lead
    FROM imp_touches AS t JOIN imp_lead_keys AS lk ON lk.key = t.lead
) AS v
ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line;
