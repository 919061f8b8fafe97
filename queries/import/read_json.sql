-- Read one JSON export: JSON lines or an array of objects (see read_parquet.sql on order).
CREATE OR REPLACE TEMP TABLE imp_raw AS
SELECT NULL::VARCHAR AS __standup_null, * FROM read_json($path);
