-- Read one CSV export as text, in file order (see read_parquet.sql for why order matters).
-- DuckDB sniffs delimiter, quoting, header, BOM and line endings; $nulls are the mapping's
-- null_values (cheaper here than in SQL). null_padding: spreadsheets drop trailing empty
-- cells, and without it a short row throws the sniffer off. __standup_null stands in for an
-- absent column.
CREATE OR REPLACE TEMP TABLE imp_raw AS
SELECT NULL::VARCHAR AS __standup_null, *
FROM read_csv($path, all_varchar = true, header = true, nullstr = $nulls, null_padding = true);
