-- DuckDB's scalar, aggregate and table functions, by name, for completion.
SELECT DISTINCT function_name AS name
FROM duckdb_functions()
WHERE function_type IN ('scalar', 'aggregate', 'table', 'macro', 'table_macro')
  AND function_name NOT LIKE '\_\_%' ESCAPE '\'
  AND regexp_matches(function_name, '^[a-z_][a-z0-9_]*$')
ORDER BY name;
