-- Touches: typed values beside their raw text, references resolved to ids. A touch has
-- no id of its own: it is the same touch when lead, kind and time are the same.
CREATE OR REPLACE TEMP TABLE imp_touches AS
SELECT
    s.*,
    lk.key IS NOT NULL AS v_lead_known,
    o.person_id AS v_person,
    lower(s.kind) AS v_kind,
    imp_ts(s.touched_at) AS v_touched_at
FROM imp_src_touches AS s
LEFT JOIN imp_lead_names AS lk ON lk.key = s.lead
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.person);
-- Touches repeated exactly (same lead, person, kind, time and note) are skipped: a touch
-- has no id, so its values are its key.
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT hash(lead, person, kind, touched_at, note)::VARCHAR AS key
FROM imp_touches GROUP BY ALL HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, hash(lead, person, kind, touched_at, note)::VARCHAR AS key,
       hash(lead, person, kind, touched_at, note) AS row_hash
FROM imp_touches
WHERE hash(lead, person, kind, touched_at, note)::VARCHAR IN (SELECT key FROM imp_dup_keys);
