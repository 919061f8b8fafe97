-- A writer's few leads: their facts now (facts/live.sql, spliced in below), kept for this
-- transaction, then stored (facts/insert.sql) and added to the totals.
CREATE OR REPLACE TEMP TABLE facts_new AS
SELECT * FROM (@live)
