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
    PERFORM pg_advisory_xact_lock(@locks, (id % 2147483646 + 1)::INTEGER)
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

-- An update refreshes only the leads whose rows changed in a column the facts read
-- (queries/pg/facts/live.sql; the CRM ids too, which the panels' refs cache keys on the
-- totals' rows for): a triage note, which bumps a dispute's version, costs nothing here.
-- Both sides, as a deal or dispute moved to another lead changes the facts of two.
CREATE OR REPLACE FUNCTION standup_facts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched BIGINT[];
BEGIN
    IF NOT EXISTS (SELECT 1 FROM facts_stamp) THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'leads' THEN
        SELECT array_agg(DISTINCT n.lead_id) INTO touched
        FROM changed_rows AS n JOIN earlier_rows AS o USING (lead_id)
        WHERE (n.company, n.owner_id, n.campaign_id, n.stage, n.stage_entered_at, n.mql_at,
               n.accepted_at, n.last_touch_at, n.reached_stage, n.created_at, n.sql_at,
               n.opportunity_at, n.customer_at, n.first_contact_at, n.external_id)
              IS DISTINCT FROM
              (o.company, o.owner_id, o.campaign_id, o.stage, o.stage_entered_at, o.mql_at,
               o.accepted_at, o.last_touch_at, o.reached_stage, o.created_at, o.sql_at,
               o.opportunity_at, o.customer_at, o.first_contact_at, o.external_id);
        -- a changed lead_id (a key update) matches no earlier row: both ids count
        touched := touched || ARRAY(
            SELECT lead_id FROM changed_rows EXCEPT SELECT lead_id FROM earlier_rows)
            || ARRAY(SELECT lead_id FROM earlier_rows EXCEPT SELECT lead_id FROM changed_rows);
    ELSIF TG_TABLE_NAME = 'deals' THEN
        SELECT array_agg(DISTINCT x.lead_id) INTO touched
        FROM (
            SELECT n.lead_id AS new_lead, o.lead_id AS old_lead
            FROM changed_rows AS n FULL JOIN earlier_rows AS o USING (deal_id)
            WHERE (n.lead_id, n.stage, n.amount, n.stage_entered_at, n.last_touch_at,
                   n.created_at, n.closed_at, n.expected_close, n.external_id)
                  IS DISTINCT FROM
                  (o.lead_id, o.stage, o.amount, o.stage_entered_at, o.last_touch_at,
                   o.created_at, o.closed_at, o.expected_close, o.external_id)
        ) AS moved, LATERAL (VALUES (moved.new_lead), (moved.old_lead)) AS x(lead_id)
        WHERE x.lead_id IS NOT NULL;
    ELSE
        SELECT array_agg(DISTINCT x.lead_id) INTO touched
        FROM (
            SELECT n.lead_id AS new_lead, o.lead_id AS old_lead
            FROM changed_rows AS n FULL JOIN earlier_rows AS o USING (dispute_id)
            WHERE (n.lead_id, n.status, n.raised_by) IS DISTINCT FROM
                  (o.lead_id, o.status, o.raised_by)
        ) AS moved, LATERAL (VALUES (moved.new_lead), (moved.old_lead)) AS x(lead_id)
        WHERE x.lead_id IS NOT NULL;
    END IF;
    IF cardinality(touched) > 0 THEN
        PERFORM standup_refresh_facts(touched);
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
