-- Restamp, step 1: forget every precomputed deadline and the SLA they followed.
DELETE FROM lead_deadlines;
DELETE FROM sla_stamp;
