-- Whether the database has standup's schema_version table (0 migrations applied if not).
SELECT to_regclass('schema_version') IS NOT NULL
