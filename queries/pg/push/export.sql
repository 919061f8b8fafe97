-- One table of the local file as CSV for Postgres' COPY (@columns and @table are catalog
-- names, checked and quoted by standup.team.push).
COPY (SELECT @columns FROM @table) TO $path (FORMAT csv, HEADER false)
