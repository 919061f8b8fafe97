-- One person by id (reassign target check, status line names).
SELECT person_id, name, team, active
FROM people
WHERE person_id = $person_id
