-- Tables and views the SQL prompt offers for completion (user objects only).
SELECT DISTINCT table_name AS name
FROM (
    SELECT table_name FROM duckdb_tables() WHERE NOT internal
    UNION ALL
    SELECT view_name FROM duckdb_views() WHERE NOT internal
)
ORDER BY name;
