-- What kind of database the connection's current one is: 'duckdb' for a file or memory,
-- 'postgres' for the team database attached through the scanner (standup/team/scan.py).
SELECT type FROM duckdb_databases() WHERE database_name = current_database()
