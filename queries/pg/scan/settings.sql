-- A DuckDB instance that reads the team's Postgres: never download an extension (the
-- postgres scanner comes from its wheel, loaded by path), never load one by itself.
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
