-- Campaigns: typed values beside their raw text. A campaign's key is its external id, or
-- its name when the export has no id column.
CREATE OR REPLACE TEMP TABLE imp_campaigns AS
SELECT
    s.*,
    coalesce(s.external_id, lower(s.name)) AS key,
    o.person_id AS v_owner,
    imp_ts(s.started_on)::DATE AS v_started_on,
    imp_ts(s.ended_on)::DATE AS v_ended_on,
    imp_num(s.spend) AS v_spend
FROM imp_src_campaigns AS s
LEFT JOIN imp_people_keys AS o ON o.key = lower(s.owner);
-- Keys that occur more than once (usually none), then just those rows with a hash of their
-- values: dups.sql tells exact repeats (skipped) from conflicting rows (invalid).
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT key AS key FROM imp_campaigns
WHERE key IS NOT NULL GROUP BY ALL HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, key AS key,
       hash(external_id, name, channel, owner, started_on, ended_on, spend) AS row_hash
FROM imp_campaigns WHERE key IN (SELECT key FROM imp_dup_keys);
