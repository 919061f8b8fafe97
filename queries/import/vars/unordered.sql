-- Staging after reading needs no order (rows carry file and line): DuckDB builds
-- unordered tables in parallel.
SET preserve_insertion_order = false;
