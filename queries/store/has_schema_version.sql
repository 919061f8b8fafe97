-- Does the file have standup's schema_version table? Only the attached file's catalog:
-- the host instance may have other files attached at the same moment.
SELECT count(*) FROM duckdb_tables()
WHERE database_name = current_database() AND table_name = 'schema_version';
