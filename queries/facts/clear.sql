-- Restamp, step 1: forget the stamp, and start the totals afresh (recreated, not deleted
-- from, so a rebuild leaves no deleted rows behind in the file).
DELETE FROM facts_stamp;
CREATE OR REPLACE TABLE fact_totals AS SELECT * FROM fact_totals LIMIT 0;
CREATE OR REPLACE TABLE fact_days AS SELECT * FROM fact_days LIMIT 0;
