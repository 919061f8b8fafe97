-- Columns of every user table and view, for completion after `table.` and in context.
SELECT table_name, column_name
FROM duckdb_columns()
WHERE NOT internal
ORDER BY table_name, column_index;
