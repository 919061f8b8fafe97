-- Never checkpoint a file implicitly when letting go of it: on the shared host instance
-- DETACH counts as a shutdown, and this setting is instance-wide, so it cannot be chosen
-- per unit of work. Instead Store.writing() runs store/checkpoint.sql after its commit,
-- unless the caller defers it (a triage key press). Set on isolated instances too, so
-- writing(checkpoint=...) means the same there.
PRAGMA disable_checkpoint_on_shutdown
