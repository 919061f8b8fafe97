-- What facts/sum.sql adds up after a restamp: every lead's facts, once.
CREATE OR REPLACE TEMP VIEW facts_change AS SELECT 1 AS sign, * FROM lead_facts
