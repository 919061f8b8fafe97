-- KPIs as they were at $at, rebuilt from the append-only history (used by the demo to
-- record a "last week's standup" snapshot). One row per (kpi, value).
WITH stage_then AS (
    SELECT lead_id, arg_max(to_stage, moved_at) AS stage
    FROM stage_history
    WHERE moved_at <= $at
    GROUP BY lead_id
)
SELECT 'leads.' || stage AS kpi, count(*)::DOUBLE AS value FROM stage_then GROUP BY stage
UNION ALL
SELECT 'disputes.open', count(*)::DOUBLE FROM disputes
WHERE opened_at <= $at AND (resolved_at IS NULL OR resolved_at > $at)
UNION ALL
SELECT 'disputes.overdue', count(*)::DOUBLE FROM disputes
WHERE opened_at <= $at AND (resolved_at IS NULL OR resolved_at > $at) AND due_at < $at
UNION ALL
SELECT 'mqls.new_7d', count(*)::DOUBLE FROM leads
WHERE mql_at > $at - INTERVAL 7 DAY AND mql_at <= $at
UNION ALL
SELECT 'revenue.won_quarter', coalesce(sum(amount), 0)::DOUBLE FROM deals
WHERE stage = 'won' AND closed_at >= $quarter_start AND closed_at <= $at
