-- Tables in the file (a DuckDB file with tables but no schema_version is not standup's).
SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database();
