-- Attach the standup file to the host instance for one read-write unit of work (creates
-- the file if it does not exist). @path / @alias: see store/attach_read_only.sql.
ATTACH @path AS @alias
