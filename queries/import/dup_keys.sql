-- Keys that occur more than once in imp_keys (the table being checked): usually none, so
-- the duplicate checks below look at only these.
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT key FROM imp_keys GROUP BY key HAVING count(*) > 1;
