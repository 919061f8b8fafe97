-- Write the people plan: update changed rows, insert new ones.
UPDATE people SET
    external_id = p.external_id, name = p.name, email = p.email, team = p.team,
    title = p.title, active = p.active
FROM imp_people_plan AS p
WHERE people.person_id = p.person_id AND p.action = 'updated';
INSERT INTO people BY NAME
SELECT person_id, external_id, name, email, team, title, active
FROM imp_people_plan WHERE action = 'new';
