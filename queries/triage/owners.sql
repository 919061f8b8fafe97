-- People a lead can be (re)assigned to: active sales reps.
SELECT person_id, name, title
FROM people
WHERE active AND team = 'sales'
ORDER BY name
