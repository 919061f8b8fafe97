-- Remember, for the rest of this unit of work (temporary tables die with the connection),
-- whether it reads the stored facts, so the panels check the watermark once per refresh.
CREATE TEMP TABLE facts_checked AS SELECT $stored::BOOLEAN AS stored
