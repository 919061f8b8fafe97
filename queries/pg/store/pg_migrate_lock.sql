-- Two processes migrating the same database at once: the second waits for the first.
SELECT pg_advisory_xact_lock(7461636)
