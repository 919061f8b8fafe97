-- Were the stored facts stamped under this SLA ($sla)? Whether they still describe the
-- tables is facts/in_step.sql's question (asked only when the file moved on disk).
SELECT count(*) > 0 FROM facts_stamp WHERE sla = $sla
