-- Shared goal, which period has data: the latest close time of a won deal at or before
-- $now (NULL: no won deal yet), so an empty quarter can fall back to the latest one.
SELECT max(closed_at) FROM deals WHERE stage = 'won' AND closed_at <= $now
