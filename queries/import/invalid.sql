-- The rows (file, line) that are invalid in any table: a derived row shares its source
-- row's fate (a lead derived from a bad deal row is not created either).
CREATE OR REPLACE TEMP TABLE imp_invalid AS
SELECT DISTINCT file, line FROM imp_errors
UNION
SELECT DISTINCT file, line FROM imp_skip;
