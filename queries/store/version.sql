-- The schema version recorded in the file.
SELECT max(version) FROM schema_version;
