-- Export the prompt's current result (the relation registered as adhoc_export) as JSON, one object per line.
COPY (SELECT * FROM adhoc_export) TO $path (FORMAT json);
