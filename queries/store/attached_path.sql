-- The file the connection's current database is (NULL for an in-memory one).
SELECT path FROM duckdb_databases() WHERE database_name = current_database()
