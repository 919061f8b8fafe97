-- Fold the WAL into the database file (run when triage is idle, off the key path).
CHECKPOINT
