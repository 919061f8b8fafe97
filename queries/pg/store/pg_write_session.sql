-- A write unit of work waits at most 5 s for rows another writer holds (a client killed
-- mid-transaction holds them until the server notices), and no statement runs past 30 s.
SET LOCAL lock_timeout = '5s'; SET LOCAL statement_timeout = '30s'
