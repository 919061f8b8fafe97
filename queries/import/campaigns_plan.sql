-- What happens to each valid campaign row. Matches an existing campaign by external id,
-- else (no id in the export) by name, case-insensitive.
CREATE OR REPLACE TEMP TABLE imp_campaigns_plan AS
WITH valid AS (
    SELECT v.* FROM imp_campaigns AS v
    ANTI JOIN imp_invalid AS i ON i.file = v.file AND i.line = v.line
),
matched AS (
    SELECT v.*,
           CASE WHEN v.external_id IS NOT NULL THEN
               (SELECT min(c.campaign_id) FROM campaigns AS c WHERE c.external_id = v.external_id)
           ELSE
               (SELECT min(c.campaign_id) FROM campaigns AS c WHERE lower(c.name) = lower(v.name))
           END AS existing_id
    FROM valid AS v
),
merged AS (
    SELECT
        m.file, m.line,
        coalesce(m.existing_id,
                 (SELECT coalesce(max(campaign_id), 0) FROM campaigns)
                 + row_number() OVER (PARTITION BY m.existing_id IS NULL ORDER BY m.file, m.line)
        )::INTEGER AS campaign_id,
        m.existing_id IS NULL AS is_new,
        coalesce(m.external_id, e.external_id) AS external_id,
        m.name,
        CASE WHEN list_contains($mapped, 'channel') THEN m.channel ELSE e.channel END AS channel,
        CASE WHEN list_contains($mapped, 'owner') THEN m.v_owner ELSE e.owner_id END AS owner_id,
        CASE WHEN list_contains($mapped, 'started_on') THEN m.v_started_on
             ELSE e.started_on END AS started_on,
        CASE WHEN list_contains($mapped, 'ended_on') THEN m.v_ended_on ELSE e.ended_on END
            AS ended_on,
        CASE WHEN list_contains($mapped, 'spend') THEN coalesce(m.v_spend, 0)
             ELSE coalesce(e.spend, 0) END::DECIMAL(14, 2) AS spend,
        e AS old
    FROM matched AS m
    LEFT JOIN campaigns AS e ON e.campaign_id = m.existing_id
)
SELECT
    * EXCLUDE (old),
    CASE
        WHEN is_new THEN 'new'
        WHEN (external_id, name, channel, owner_id, started_on, ended_on, spend)
             IS NOT DISTINCT FROM
             (old.external_id, old.name, old.channel, old.owner_id, old.started_on,
              old.ended_on, old.spend)
            THEN 'unchanged'
        ELSE 'updated'
    END AS action
FROM merged;
