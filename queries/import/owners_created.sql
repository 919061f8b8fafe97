-- People this import creates from owner columns (people_derive.sql, after pruning).
SELECT count(*) FROM imp_people_plan WHERE derived
