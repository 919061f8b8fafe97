-- Restamp, after storing every lead's facts: writers replace a lead's facts by id.
CREATE INDEX lead_facts_lead ON lead_facts (lead_id)
