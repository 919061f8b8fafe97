-- Leads: typed values beside their raw text, references resolved to ids.
CREATE OR REPLACE TEMP TABLE imp_leads AS
SELECT
    s.*,
    o.person_id AS v_owner,
    c.campaign_id AS v_campaign,
    try_cast(try_cast(s.score AS DOUBLE) AS INTEGER) AS v_score,
    lower(s.stage) AS v_stage,
    imp_ts(s.created_at) AS v_created_at,
    imp_ts(s.stage_entered_at) AS v_stage_entered_at,
    imp_ts(s.mql_at) AS v_mql_at,
    imp_ts(s.accepted_at) AS v_accepted_at,
    imp_ts(s.first_contact_at) AS v_first_contact_at,
    imp_ts(s.last_touch_at) AS v_last_touch_at,
    imp_ts(s.recycle_on)::DATE AS v_recycle_on,
    imp_ts(s.sql_at) AS v_sql_at,
    imp_ts(s.opportunity_at) AS v_opportunity_at,
    imp_ts(s.customer_at) AS v_customer_at
FROM imp_src_leads AS s
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.owner)
LEFT JOIN imp_campaign_keys AS c ON c.key = lower(s.campaign);
-- Keys that occur more than once (usually none), then just those rows with a hash of their
-- values: dups.sql tells exact repeats (skipped) from conflicting rows (invalid).
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT external_id AS key FROM imp_leads
WHERE external_id IS NOT NULL GROUP BY ALL HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, external_id AS key,
       hash(external_id, company, contact_name, email, owner, campaign, score, stage,
            created_at, stage_entered_at, mql_at, accepted_at, first_contact_at,
            last_touch_at, reason_code, recycle_on, sql_at, opportunity_at, customer_at)
           AS row_hash
FROM imp_leads WHERE external_id IN (SELECT key FROM imp_dup_keys);
