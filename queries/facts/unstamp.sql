-- A writer changed too many leads to refresh their facts one by one: drop the stamp, so
-- the panels compute live (and the app restamps) instead of trusting stale facts.
DELETE FROM facts_stamp
