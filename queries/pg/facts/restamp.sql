-- Team mode: every lead's facts under the SLA $sla (queries/pg/setup/020_facts.sql).
SELECT standup_restamp_facts($sla, $stamped_at)
