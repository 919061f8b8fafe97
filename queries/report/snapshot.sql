-- One recorded KPI snapshot.
SELECT standup_id, taken_at, label, kpis FROM standups WHERE standup_id = $standup_id
