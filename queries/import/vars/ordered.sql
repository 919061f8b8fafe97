-- Reading a file keeps its order: line numbers come from it (read_parquet.sql).
SET preserve_insertion_order = true;
