-- Back to the host's own empty in-memory database, so the file can be detached.
USE memory
