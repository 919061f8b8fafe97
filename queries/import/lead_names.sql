-- Every lead external id a deal or touch row may name: stored leads and lead rows of this
-- import (valid or not: a reference to a rejected lead row is reported by cascade.sql).
-- Only built when the import has deal or touch rows (it costs a pass over all leads).
CREATE OR REPLACE TEMP TABLE imp_lead_names AS
SELECT DISTINCT external_id AS key FROM leads
WHERE external_id IS NOT NULL AND getvariable('imp_has_refs')
UNION
SELECT DISTINCT external_id FROM imp_leads
WHERE external_id IS NOT NULL AND getvariable('imp_has_refs');
