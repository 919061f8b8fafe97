-- Fold the WAL into the database file (after a write's commit, or when triage is idle).
CHECKPOINT
