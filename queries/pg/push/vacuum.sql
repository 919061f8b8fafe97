-- After a push: the visibility map of the freshly computed facts (index-only scans).
VACUUM (ANALYZE) lead_facts
