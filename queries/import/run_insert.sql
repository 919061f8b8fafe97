-- Record one import run; returns its id.
INSERT INTO import_runs (imported_at, mapping, files, summary, rejected)
VALUES ($now, $mapping, $files, $summary, $rejected)
RETURNING run_id;
