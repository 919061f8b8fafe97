-- A writer's few leads: their stored facts before the change, kept for this transaction
-- so the totals can take them back out (facts/change_some.sql).
CREATE OR REPLACE TEMP TABLE facts_old AS
SELECT * FROM lead_facts WHERE @these_leads
