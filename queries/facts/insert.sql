-- A writer's few leads: store their facts (facts/live.sql, spliced in below) anew.
INSERT INTO lead_facts
SELECT * FROM (@live)
