-- Were the stored deadlines stamped under this SLA (canonical JSON)?
SELECT count(*) > 0 FROM sla_stamp WHERE sla = $sla
