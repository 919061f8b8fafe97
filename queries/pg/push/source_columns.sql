-- The local file's tables and columns (DuckDB side of a push).
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = 'main'
ORDER BY table_name, ordinal_position
