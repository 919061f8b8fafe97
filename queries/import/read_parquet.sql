-- Read one Parquet export. DuckDB reads in parallel and, with preserve_insertion_order on
-- (the default), CREATE TABLE AS keeps the file's order: a row's line is its rowid's
-- distance from the first (raw_info.sql), with no single-threaded row_number() pass.
CREATE OR REPLACE TEMP TABLE imp_raw AS
SELECT NULL::VARCHAR AS __standup_null, * FROM read_parquet($path);
