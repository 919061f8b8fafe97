-- Campaigns: typed values beside their raw text. A campaign's key is its external id, or
-- its name when the export has no id column.
CREATE OR REPLACE TEMP TABLE imp_campaigns AS
SELECT
    s.*,
    coalesce(s.external_id, lower(s.name)) AS key,
    o.person_id AS v_owner,
    imp_ts(s.started_on)::DATE AS v_started_on,
    imp_ts(s.ended_on)::DATE AS v_ended_on,
    imp_num(s.spend) AS v_spend,
    hash(s.external_id, s.name, s.channel, s.owner, s.started_on, s.ended_on, s.spend) AS row_hash
FROM imp_src_campaigns AS s
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.owner);
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, key, row_hash FROM imp_campaigns WHERE key IS NOT NULL;
