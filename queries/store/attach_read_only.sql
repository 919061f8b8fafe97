-- Attach the standup file to the host instance for one read-only unit of work. DuckDB's
-- parser takes no parameters here: @path becomes a quoted string literal and @alias a
-- generated [a-z0-9_] name (standup.store._run_names), nothing else reaches the text.
ATTACH @path AS @alias (READ_ONLY)
