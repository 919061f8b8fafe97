-- Per connection (DuckDB refuses it as a global setting): the terminal belongs to the app,
-- or to the CLI's own progress; DuckDB must not draw on it.
SET enable_progress_bar = false
