-- The postgres scanner, from the duckdb-extension-postgres-scanner wheel (@path).
LOAD @path
