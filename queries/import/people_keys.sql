-- Every way a row of an export may name a person (external id, e-mail, name, all
-- case-insensitive) -> person_id, over the database and the people about to be written.
CREATE OR REPLACE TEMP TABLE imp_people_keys AS
WITH everyone AS (
    SELECT person_id, external_id, email, name FROM people
    WHERE person_id NOT IN (SELECT person_id FROM imp_people_plan)
    UNION ALL
    SELECT person_id, external_id, email, name FROM imp_people_plan
)
SELECT key, min(person_id) AS person_id
FROM (
    SELECT lower(external_id) AS key, person_id FROM everyone
    UNION ALL SELECT lower(email), person_id FROM everyone
    UNION ALL SELECT lower(name), person_id FROM everyone
)
WHERE key IS NOT NULL
GROUP BY key;
