-- Export the prompt's current result (the relation registered as adhoc_export) as CSV with a header.
COPY (SELECT * FROM adhoc_export) TO $path (FORMAT csv, HEADER true);
