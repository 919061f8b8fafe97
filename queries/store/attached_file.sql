-- The file the connection's current database is (NULL for an in-memory one), whether it
-- is attached read-only, and its type: 'duckdb' for a file or memory, 'postgres' for the
-- team database attached through the scanner (standup/team/scan.py).
SELECT path, readonly, type FROM duckdb_databases() WHERE database_name = current_database()
