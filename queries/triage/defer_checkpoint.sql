-- Closing a connection normally checkpoints the WAL into the file, which on a big file
-- rewrites index and row-group data (~60-100 ms on 1M leads). A triage write skips that so
-- the key press commits fast; the commit itself is durable in the WAL, and the screen
-- checkpoints (triage/checkpoint.sql) once the room pauses.
PRAGMA disable_checkpoint_on_shutdown
