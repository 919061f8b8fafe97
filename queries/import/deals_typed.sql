-- Deals: typed values beside their raw text, references resolved to ids.
CREATE OR REPLACE TEMP TABLE imp_deals AS
SELECT
    s.*,
    lk.key IS NOT NULL AS v_lead_known,
    o.person_id AS v_owner,
    lower(s.stage) AS v_stage,
    imp_num(s.amount) AS v_amount,
    imp_ts(s.created_at) AS v_created_at,
    imp_ts(s.stage_entered_at) AS v_stage_entered_at,
    imp_ts(s.last_touch_at) AS v_last_touch_at,
    imp_ts(s.expected_close)::DATE AS v_expected_close,
    imp_ts(s.closed_at) AS v_closed_at
FROM imp_src_deals AS s
LEFT JOIN imp_lead_names AS lk ON lk.key = s.lead
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.owner);
-- Keys that occur more than once (usually none), then just those rows with a hash of their
-- values: dups.sql tells exact repeats (skipped) from conflicting rows (invalid).
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT external_id AS key FROM imp_deals
WHERE external_id IS NOT NULL GROUP BY ALL HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, external_id AS key,
       hash(external_id, lead, name, owner, stage, amount, created_at, stage_entered_at,
            last_touch_at, expected_close, closed_at) AS row_hash
FROM imp_deals WHERE external_id IN (SELECT key FROM imp_dup_keys);
