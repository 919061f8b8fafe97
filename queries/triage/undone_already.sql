-- Which of these events already have a compensating event.
SELECT undoes
FROM dispute_events
WHERE undoes IN (SELECT unnest($ids::BIGINT[]))
