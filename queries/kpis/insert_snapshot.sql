-- Record one standup's KPI snapshot (JSON object of name -> number).
INSERT INTO standups (taken_at, label, kpis) VALUES ($taken_at, $label, $kpis)
RETURNING standup_id
