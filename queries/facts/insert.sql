-- A writer's few leads: store their new facts (facts/new.sql), the old ones being gone.
INSERT INTO lead_facts SELECT * FROM temp.main.facts_new
