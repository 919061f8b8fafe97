-- The process-wide host instance never checkpoints a file on its own when it lets go of it
-- (DETACH would otherwise fold the WAL in, and this setting is instance-wide): a unit of
-- work that wants a checkpoint runs store/checkpoint.sql itself, after its commit.
PRAGMA disable_checkpoint_on_shutdown
