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
    imp_ts(s.closed_at) AS v_closed_at,
    hash(s.external_id, s.lead, s.name, s.owner, s.stage, s.amount, s.created_at,
         s.stage_entered_at, s.last_touch_at, s.expected_close, s.closed_at) AS row_hash
FROM imp_src_deals AS s
LEFT JOIN imp_lead_names AS lk ON lk.key = s.lead
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.owner);
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, external_id AS key, row_hash FROM imp_deals WHERE external_id IS NOT NULL;
