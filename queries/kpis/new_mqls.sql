-- Leads that became MQLs in the window (since, now].
SELECT count(*) FROM leads WHERE mql_at > $since AND mql_at <= $now
