-- Staging after reading needs no order (rows carry file and line): DuckDB builds
-- unordered tables in parallel. SESSION: this connection only; a bare SET would change
-- the whole (shared, per-process) DuckDB instance and outlive the import.
SET SESSION preserve_insertion_order = false;
