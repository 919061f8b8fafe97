-- Live refresh (team mode): every commit that changes what the screens show sends one
-- NOTIFY on channel standup_changed, payload the table's name. Postgres delivers it at
-- commit, to every listening app, and folds repeats within a transaction into one, so a
-- 500-dispute bulk action is one notification per table, not 500.
-- Idempotent: re-applied by every `standup migrate`.
CREATE OR REPLACE FUNCTION standup_notify_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('standup_changed', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['disputes', 'leads', 'deals', 'touches', 'dispute_events',
                             'stage_history', 'campaigns', 'people', 'standups', 'targets']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS standup_notify ON %I', t);
        EXECUTE format('CREATE TRIGGER standup_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       'ON %I FOR EACH STATEMENT EXECUTE FUNCTION standup_notify_changed()', t);
    END LOOP;
END;
$$;
