-- Several writers at once: a new dispute's id comes from a sequence (see pg 001_schema).
SELECT nextval('dispute_ids') AS dispute_id
