-- Restamp, step 3: remember which SLA the deadlines follow (and how many leads).
INSERT INTO sla_stamp SELECT $sla, $stamped_at, count(*) FROM lead_deadlines
RETURNING leads
