-- Restamp, step 1: forget every stored fact and the stamp they followed. The index goes
-- too (facts/index.sql rebuilds it): building it once is faster than a million inserts.
DROP INDEX IF EXISTS lead_facts_lead;
DELETE FROM lead_facts;
DELETE FROM fact_totals;
DELETE FROM facts_stamp;
