-- One lead's timeline: touches, stage moves and dispute events, newest first.
SELECT happened_at, what, detail
FROM (
    SELECT touched_at AS happened_at, 'touch' AS what,
           kind || coalesce(' by ' || p.name, '') || coalesce(': ' || t.note, '') AS detail
    FROM touches AS t
    LEFT JOIN people AS p ON p.person_id = t.person_id
    WHERE t.lead_id = $lead_id
    UNION ALL
    SELECT moved_at, 'stage',
           coalesce(from_stage, '·') || ' → ' || to_stage || ' (' || actor || ')'
    FROM stage_history
    WHERE lead_id = $lead_id
    UNION ALL
    SELECT event_at, 'D-' || dispute_id::VARCHAR,
           action || coalesce(' → ' || nullif(outcome, action), '') || coalesce(', fault ' || fault, '')
               || coalesce(', ' || reason_code, '') || coalesce(': ' || note, '')
               || ' (' || actor || ')'
    FROM dispute_events
    WHERE lead_id = $lead_id
) AS timeline
ORDER BY happened_at DESC, what
LIMIT $limit
