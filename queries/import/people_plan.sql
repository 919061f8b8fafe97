-- What happens to each valid person row: new, updated or unchanged, with its person_id.
-- An existing person matches by external id, or (one without an external id, such as a
-- hand-made one) by e-mail, so the first import links them instead of duplicating them.
CREATE OR REPLACE TEMP TABLE imp_people_plan AS
WITH valid AS (
    SELECT v.* FROM imp_people AS v
    ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line
),
matched AS (
    SELECT v.*,
           coalesce(
               (SELECT min(p.person_id) FROM people AS p WHERE p.external_id = v.external_id),
               (SELECT min(p.person_id) FROM people AS p
                WHERE p.external_id IS NULL AND lower(p.email) = lower(v.email))
           ) AS existing_id
    FROM valid AS v
),
merged AS (
    SELECT
        m.file, m.line,
        coalesce(m.existing_id,
                 (SELECT coalesce(max(person_id), 0) FROM people)
                 + row_number() OVER (PARTITION BY m.existing_id IS NULL ORDER BY m.file, m.line)
        )::INTEGER AS person_id,
        m.existing_id IS NULL AS is_new,
        m.external_id,
        m.name,
        CASE WHEN list_contains($mapped, 'email') THEN m.email ELSE e.email END AS email,
        m.v_team AS team,
        CASE WHEN list_contains($mapped, 'title') THEN m.title ELSE e.title END AS title,
        CASE WHEN list_contains($mapped, 'active') THEN m.v_active
             ELSE coalesce(e.active, true) END AS active,
        e AS old
    FROM matched AS m
    LEFT JOIN people AS e ON e.person_id = m.existing_id
)
SELECT
    * EXCLUDE (old),
    false AS derived,  -- people_derive.sql adds people named only in owner columns
    CASE
        WHEN is_new THEN 'new'
        WHEN (external_id, name, email, team, title, active) IS NOT DISTINCT FROM
             (old.external_id, old.name, old.email, old.team, old.title, old.active)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM merged;
