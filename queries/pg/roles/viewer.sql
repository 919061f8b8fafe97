-- The statements that make $role::text a viewer: it may log in and read every standup table
-- (now and later), and change nothing. The server quotes the name (format %I); the
-- caller runs each statement returned, in the migrate's transaction.
SELECT stmt
FROM (
    SELECT 1 AS step, format('CREATE ROLE %I LOGIN', $role::text) AS stmt
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $role::text)
    UNION ALL
    SELECT 2, format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $role::text)
    UNION ALL
    SELECT 3, format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), $role::text)
    UNION ALL
    SELECT 4, format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), $role::text)
    UNION ALL
    SELECT 5, format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I',
                     current_schema(), $role::text)
) AS steps
ORDER BY step
