-- People: typed values beside their raw text, so validation can name a bad cell.
CREATE OR REPLACE TEMP TABLE imp_people AS
SELECT
    s.*,
    lower(s.team) AS v_team,
    CASE WHEN s.active IS NULL THEN true
         ELSE try_cast(lower(s.active) IN ('true', 't', 'yes', 'y', '1', 'active') AS BOOLEAN) END
        AS v_active,
    hash(s.external_id, s.name, s.email, s.team, s.title, s.active) AS row_hash
FROM imp_src_people AS s;
CREATE OR REPLACE TEMP TABLE imp_keys AS
SELECT file, line, external_id AS key, row_hash FROM imp_people WHERE external_id IS NOT NULL;
