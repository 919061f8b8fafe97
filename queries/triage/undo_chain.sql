-- For each event about to be undone: the decision at the root of its undo chain and how
-- many undos lie between (0 for a decision itself, 1 for an undo, 2 for a redo, ...).
-- Undoing an event with an odd depth puts the root decision back (a redo); with an even
-- depth it takes it away (an undo), however many times the room has pressed u.
WITH RECURSIVE chain(start_id, event_id, action, undoes, depth) AS (
    SELECT event_id, event_id, action, undoes, 0
    FROM dispute_events
    WHERE event_id IN (SELECT unnest($ids::BIGINT[]))
    UNION ALL
    SELECT c.start_id, e.event_id, e.action, e.undoes, c.depth + 1
    FROM chain AS c
    JOIN dispute_events AS e ON e.event_id = c.undoes
    WHERE c.action = 'undo'
)
SELECT start_id, action AS root_action, depth
FROM chain
WHERE action <> 'undo'
ORDER BY start_id
