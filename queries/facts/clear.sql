-- Restamp, step 1: forget every stored fact and the stamp they followed.
DELETE FROM lead_facts;
DELETE FROM fact_totals;
DELETE FROM facts_stamp;
