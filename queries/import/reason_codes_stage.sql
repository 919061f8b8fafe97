-- The mapping's [[reason_codes]] ($codes: structs of the reason_codes columns), so lead
-- rows may use them; reason_codes_apply.sql adds them to the database with the import.
CREATE OR REPLACE TEMP TABLE imp_reason_codes AS
SELECT c.code, c.kind, c.category, c.label, c.default_action,
       nullif(c.recycle_days, 0) AS recycle_days
FROM (SELECT unnest($codes) AS c)
WHERE c.code <> '';
