-- The SLA (JSON) the stored facts follow; no row when they were never stamped.
SELECT sla FROM facts_stamp
