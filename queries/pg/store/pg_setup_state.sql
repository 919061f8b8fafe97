-- Which setup (queries/pg/setup/, spliced) the database has: the mark the last migrate
-- left on the facts' refresh function (NULL: none, or a setup from before it existed).
SELECT obj_description(to_regprocedure('standup_refresh_facts(bigint[])'), 'pg_proc')
