-- Reserve $n audit event ids, in order, so snapshots can name them before the insert.
SELECT nextval('dispute_event_ids') AS event_id FROM generate_series(1, $n) ORDER BY 1
