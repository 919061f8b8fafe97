-- Team mode's stored dashboard facts, kept by the server itself (issue 14). The panels
-- read lead_facts, fact_totals and fact_days (migrations 009, 011) as they do in a file;
-- here statement-level triggers on leads, deals and disputes recompute the facts of the
-- leads a statement touched (their transition tables say which), in the writer's own
-- transaction, whoever the writer is: the app, `psql`, another tool. So a reader never
-- has to check whether they are current (the file's fingerprints, migration 012, stay
-- empty here), only that they were stamped under its SLA.
--
-- Python splices the fragments in before this runs (standup/team/pgfacts.py, which lists
-- them): the facts of queries/pg/facts/live.sql for "lead_id = ANY(ids)" or for every
-- lead, the sums of queries/pg/facts/, its watermark, the main path, how many leads one
-- statement may touch before the stamp is dropped instead (standup.facts.REFRESH_IDS_CAP;
-- an app then restamps, set-based) and the advisory lock space. Idempotent: re-applied
-- by every `standup migrate`.

-- What the panels' variants read inside Postgres (queries/pg/scan/panels/): the stalled
-- leads with money at risk, most money first.
CREATE INDEX IF NOT EXISTS lead_facts_money
    ON lead_facts (open_amount DESC, stall_at, lead_id) WHERE open_amount > 0;
CREATE INDEX IF NOT EXISTS lead_facts_stall ON lead_facts (stall_at) INCLUDE (open_amount);

-- Recompute the stored facts of leads `ids` and append the change to the totals. The
-- shared lock waits out a restamp (which takes it exclusively); the per-lead locks
-- serialise two writers of one lead, so each replaces the facts the other committed.
CREATE OR REPLACE FUNCTION standup_refresh_facts(ids BIGINT[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(@locks, 0);
    IF cardinality(ids) IS NULL OR NOT EXISTS (SELECT 1 FROM facts_stamp) THEN
        RETURN;
    END IF;
    IF cardinality(ids) > @cap THEN
        DELETE FROM facts_stamp;
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(@locks, (id % 2147483647)::INTEGER)
    FROM unnest(ids) AS id ORDER BY id;
    WITH before_facts AS (
        DELETE FROM lead_facts WHERE lead_id = ANY(ids) RETURNING *
    ), after_facts AS (
        INSERT INTO lead_facts SELECT * FROM (@live_some) AS live RETURNING *
    ), facts_change AS (
        SELECT -1 AS sign, * FROM before_facts UNION ALL SELECT 1 AS sign, * FROM after_facts
    ), totals AS (
        INSERT INTO fact_totals @sum_totals RETURNING 1
    )
    INSERT INTO fact_days @sum_days;
END;
$$;

-- Every lead's facts under the SLA `sla_json` (the JSON of standup's SLA config), replacing
-- whatever was stored; returns how many leads were stamped. `standup push` runs it, and
-- an app that finds the database unstamped (a bulk write, a TRUNCATE).
CREATE OR REPLACE FUNCTION standup_restamp_facts(sla_json TEXT, stamp_time TIMESTAMP) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    stamped BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(@locks, 0);
    TRUNCATE lead_facts, fact_totals, fact_days;
    DELETE FROM facts_stamp;
    INSERT INTO facts_stamp
    SELECT sla_json, stamp_time, w.leads, w.deals, w.disputes, w.leads_updated, w.deals_updated
    FROM (@watermark) AS w;
    INSERT INTO lead_facts SELECT * FROM (@live_all) AS live ORDER BY lead_id;
    WITH facts_change AS (
        SELECT 1 AS sign, * FROM lead_facts
    ), totals AS (
        INSERT INTO fact_totals @sum_totals RETURNING 1
    )
    INSERT INTO fact_days @sum_days;
    ANALYZE lead_facts;
    SELECT count(*) INTO stamped FROM lead_facts;
    RETURN stamped;
END;
$$;

CREATE OR REPLACE FUNCTION standup_facts_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM facts_stamp) THEN
        PERFORM standup_refresh_facts(ARRAY(SELECT DISTINCT lead_id FROM changed_rows));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION standup_facts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM facts_stamp) THEN
        -- both sides: a deal or dispute moved to another lead changes the facts of two
        PERFORM standup_refresh_facts(ARRAY(
            SELECT lead_id FROM changed_rows UNION SELECT lead_id FROM earlier_rows));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION standup_facts_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM facts_stamp) THEN
        PERFORM standup_refresh_facts(ARRAY(SELECT DISTINCT lead_id FROM earlier_rows));
    END IF;
    RETURN NULL;
END;
$$;

-- A TRUNCATE names no rows: the stamp goes, and the panels compute live until a restamp.
CREATE OR REPLACE FUNCTION standup_facts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM facts_stamp;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['leads', 'deals', 'disputes']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS standup_facts_insert ON %I', t);
        EXECUTE format('DROP TRIGGER IF EXISTS standup_facts_update ON %I', t);
        EXECUTE format('DROP TRIGGER IF EXISTS standup_facts_delete ON %I', t);
        EXECUTE format('DROP TRIGGER IF EXISTS standup_facts_truncate ON %I', t);
        EXECUTE format('CREATE TRIGGER standup_facts_insert AFTER INSERT ON %I '
                       'REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION standup_facts_inserted()', t);
        EXECUTE format('CREATE TRIGGER standup_facts_update AFTER UPDATE ON %I '
                       'REFERENCING OLD TABLE AS earlier_rows NEW TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION standup_facts_updated()', t);
        EXECUTE format('CREATE TRIGGER standup_facts_delete AFTER DELETE ON %I '
                       'REFERENCING OLD TABLE AS earlier_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION standup_facts_deleted()', t);
        EXECUTE format('CREATE TRIGGER standup_facts_truncate AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION standup_facts_truncated()', t);
    END LOOP;
END;
$$;
