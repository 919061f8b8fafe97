-- Which database and which state of it the remembered CRM ids (standup/refs.py) belong
-- to: the attached file's name and the stored facts' stamp and watermark, which every
-- writer that keeps the facts in step moves along.
SELECT current_database(), stamped_at, leads, deals, disputes, leads_updated, deals_updated
FROM facts_stamp
LIMIT 1
