-- SQL keywords DuckDB knows, for completion.
SELECT keyword_name AS name FROM duckdb_keywords() ORDER BY name;
