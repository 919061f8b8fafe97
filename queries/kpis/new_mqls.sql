-- Leads that became MQLs in the window (since, now].
SELECT count(*) AS new_mqls FROM leads WHERE mql_at > $since AND mql_at <= $now
