-- Leads their deals moved (lead_drive.sql).
SELECT count(*) FILTER (WHERE moved) FROM imp_drive
