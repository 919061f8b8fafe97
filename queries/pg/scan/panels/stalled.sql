-- Team mode: queries/panels/stalled.sql run inside Postgres (postgres_query), which sends
-- back one row; through the scanner it would stream every stalled lead to be counted.
-- Used only while the stored facts are (standup.facts.prepare drops it otherwise). $now
-- goes in as text: a timestamp's text has no quotes.
SELECT total, total_amount
FROM postgres_query('@alias',
    'SELECT count(*) AS total, coalesce(sum(open_amount), 0)::DOUBLE PRECISION AS total_amount '
    || 'FROM lead_facts WHERE stall_at < ''' || $now::TIMESTAMP::VARCHAR || '''::TIMESTAMP')
