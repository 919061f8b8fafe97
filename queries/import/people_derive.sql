-- Owners named only in an owner column become people, for the sections whose mapping says
-- create_owners (a CRM export names its reps but comes without a people file): one person
-- per distinct name or e-mail, case-insensitive, of that section's team ($<table>_team,
-- NULL where not wanted). people_prune.sql drops those no valid row ends up using.
INSERT INTO imp_people_plan BY NAME
WITH named AS (
    SELECT lower(who) AS key,
           arg_min(who, {'file': file, 'line': line}) AS who,
           arg_min(team, {'file': file, 'line': line}) AS team,
           min({'file': file, 'line': line}) AS first
    FROM (
        SELECT file, line, owner AS who, $campaigns_team AS team FROM imp_src_campaigns
        WHERE $campaigns_team IS NOT NULL
        UNION ALL
        SELECT file, line, owner, $leads_team FROM imp_src_leads WHERE $leads_team IS NOT NULL
        UNION ALL
        SELECT file, line, owner, $deals_team FROM imp_src_deals WHERE $deals_team IS NOT NULL
        UNION ALL
        SELECT file, line, person, $touches_team FROM imp_src_touches
        WHERE $touches_team IS NOT NULL
    )
    WHERE who IS NOT NULL AND lower(who) NOT IN (SELECT key FROM imp_people_keys)
    GROUP BY lower(who)
)
SELECT
    first.file AS file, first.line AS line,
    (SELECT greatest(coalesce(max(person_id), 0),
                     (SELECT coalesce(max(person_id), 0) FROM imp_people_plan))
     FROM people)
    + row_number() OVER (ORDER BY first) AS person_id,
    true AS is_new, NULL AS external_id,
    CASE WHEN contains(who, '@') THEN split_part(who, '@', 1) ELSE who END AS name,
    CASE WHEN contains(who, '@') THEN who END AS email,
    team, NULL AS title, true AS active, 'new' AS action, true AS derived
FROM named;
