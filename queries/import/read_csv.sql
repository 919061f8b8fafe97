-- Read one CSV export as text, in file order (see read_parquet.sql for why order matters).
-- DuckDB sniffs delimiter, quoting, header, BOM and line endings; $nulls are the mapping's
-- null_values (cheaper here than in SQL). __standup_null stands in for an absent column.
CREATE OR REPLACE TEMP TABLE imp_raw AS
SELECT NULL::VARCHAR AS __standup_null, *
FROM read_csv($path, all_varchar = true, header = true, nullstr = $nulls);
