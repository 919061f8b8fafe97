-- Export the prompt's current result (the relation registered as adhoc_export) as Parquet.
COPY (SELECT * FROM adhoc_export) TO $path (FORMAT parquet);
