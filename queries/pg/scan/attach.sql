-- The team's database, read-only: DuckDB never writes to Postgres (writes go through
-- psycopg, whose row counts can be trusted).
ATTACH @url AS @alias (TYPE postgres, READ_ONLY)
