-- The file the connection's current database is (NULL for an in-memory one), and
-- whether it is attached read-only.
SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()
