-- People: typed values beside their raw text, so validation can name a bad cell.
CREATE OR REPLACE TEMP TABLE imp_people AS
SELECT
    s.*,
    lower(s.team) AS v_team,
    CASE WHEN s.active IS NULL THEN true
         ELSE try_cast(lower(s.active) IN ('true', 't', 'yes', 'y', '1', 'active') AS BOOLEAN) END
        AS v_active
FROM imp_src_people AS s;
-- Keys that occur more than once (usually none), then just those rows with a hash of their
-- values: dups.sql tells exact repeats (skipped) from conflicting rows (invalid).
CREATE OR REPLACE TEMP TABLE imp_dup_keys AS
SELECT external_id AS key FROM imp_people
WHERE external_id IS NOT NULL GROUP BY ALL HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, external_id AS key,
       hash(external_id, name, email, team, title, active) AS row_hash
FROM imp_people WHERE external_id IN (SELECT key FROM imp_dup_keys);
