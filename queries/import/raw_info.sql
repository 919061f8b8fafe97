-- The file just read: its rows, the rowid of its first row, and its column names.
SELECT
    (SELECT count(*) FROM imp_raw) AS rows,
    (SELECT coalesce(min(rowid), 0) FROM imp_raw) AS first_rowid,
    (SELECT list(column_name ORDER BY column_index) FROM duckdb_columns()
     WHERE table_name = 'imp_raw' AND database_name = 'temp'
       AND column_name <> '__standup_null') AS header;
