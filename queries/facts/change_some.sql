-- What facts/sum.sql adds up after a writer replaced a few leads' facts: the old facts
-- (facts/old.sql) taken out, the new ones (facts/new.sql) put in.
CREATE OR REPLACE TEMP VIEW facts_change AS
SELECT -1 AS sign, * FROM temp.main.facts_old
UNION ALL
SELECT 1 AS sign, * FROM temp.main.facts_new
