-- Reading a file keeps its order: line numbers come from it (read_parquet.sql).
-- SESSION: this connection only (see unordered.sql).
SET SESSION preserve_insertion_order = true;
