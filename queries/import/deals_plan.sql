-- What happens to each valid deal row. A stage change restarts the stage clock (at the
-- export's stage_entered_at, else $now: when the import saw it); a deal that becomes won
-- or lost gets closed_at. Dates a new deal's export does not give stay unknown (NULL).
CREATE OR REPLACE TEMP TABLE imp_deals_plan AS
WITH valid AS (
    SELECT v.* FROM imp_deals AS v
    ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line
),
matched AS (
    SELECT v.*, e.deal_id AS existing_id, lk.lead_id AS v_lead
    FROM valid AS v
    JOIN imp_lead_keys AS lk ON lk.key = v.lead
    LEFT JOIN (
        SELECT external_id, min(deal_id) AS deal_id FROM deals
        WHERE external_id IS NOT NULL GROUP BY external_id
    ) AS e ON e.external_id = v.external_id
),
numbered AS (
    -- New ids from the rows' places in the import, as in leads_plan.sql.
    SELECT m.*,
           CASE WHEN m.existing_id IS NULL THEN
               (SELECT coalesce(max(deal_id), 0) FROM deals) + f.row_offset + m.line
           END AS new_id
    FROM matched AS m
    JOIN imp_files AS f ON f.file = m.file
),
merged AS (
    SELECT
        m.file, m.line,
        coalesce(m.existing_id, m.new_id) AS deal_id,
        m.existing_id IS NULL AS is_new,
        m.external_id,
        m.v_lead AS lead_id,
        CASE WHEN list_contains($mapped, 'name') THEN m.name ELSE e.name END AS name,
        CASE WHEN list_contains($mapped, 'owner') THEN m.v_owner ELSE e.owner_id END AS owner_id,
        m.v_stage AS stage,
        CASE WHEN list_contains($mapped, 'amount') THEN coalesce(m.v_amount, 0)
             ELSE coalesce(e.amount, 0) END::DECIMAL(14, 2) AS amount,
        coalesce(m.v_created_at, e.created_at) AS created_at,
        m.v_created_at IS NULL AS no_created_date,
        e.stage AS old_stage,
        CASE
            WHEN e.deal_id IS NULL THEN coalesce(m.v_stage_entered_at, m.v_created_at)
            WHEN m.v_stage_entered_at IS NOT NULL THEN m.v_stage_entered_at
            WHEN m.v_stage <> e.stage THEN $now
            ELSE e.stage_entered_at
        END AS stage_entered_at,
        CASE WHEN list_contains($mapped, 'last_touch_at') THEN m.v_last_touch_at
             ELSE e.last_touch_at END AS last_touch_at,
        CASE WHEN list_contains($mapped, 'expected_close') THEN m.v_expected_close
             ELSE e.expected_close END AS expected_close,
        m.v_closed_at AS v_closed_at,
        m.v_stage_entered_at AS v_stage_entered_at,
        m.v_stage_entered_at IS NOT NULL AS has_stage_date,
        e.closed_at AS old_closed_at,
        e AS old
    FROM numbered AS m
    LEFT JOIN deals AS e ON e.deal_id = m.existing_id
),
closed AS (
    -- A won or lost deal without a closed date closed on its (past) close date, as CRMs
    -- set it when a deal is closed, else when it entered the stage.
    SELECT * EXCLUDE (v_closed_at, old_closed_at, v_stage_entered_at),
           CASE WHEN stage NOT IN ('won', 'lost') THEN NULL
                WHEN v_closed_at IS NOT NULL THEN v_closed_at
                WHEN old.stage = stage THEN old_closed_at
                WHEN expected_close <= $now THEN expected_close::TIMESTAMP
                WHEN NOT is_new THEN stage_entered_at
                -- a new closed deal with no date in the export: closed, time unknown
                END AS closed_at
    FROM merged
),
settled AS (
    -- ... and a new closed deal entered its final stage when it closed.
    SELECT * REPLACE (
        CASE WHEN is_new AND stage IN ('won', 'lost') AND NOT has_stage_date
             THEN closed_at ELSE stage_entered_at END AS stage_entered_at)
    FROM closed
)
SELECT
    * EXCLUDE (old, has_stage_date),
    CASE
        WHEN is_new THEN 'new'
        WHEN (lead_id, name, owner_id, stage, amount, created_at, stage_entered_at,
              last_touch_at, expected_close, closed_at)
             IS NOT DISTINCT FROM
             (old.lead_id, old.name, old.owner_id, old.stage, old.amount, old.created_at,
              old.stage_entered_at, old.last_touch_at, old.expected_close, old.closed_at)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM settled;
