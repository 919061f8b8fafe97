-- One applied migration, in the same transaction as the migration itself.
INSERT INTO schema_version (version, name) VALUES ($version, $name);
