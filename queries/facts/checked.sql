-- Did this unit of work already settle which facts it reads (facts/mark.sql)?
SELECT (SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'facts_checked') > 0
