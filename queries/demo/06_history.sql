-- Demo step 6: the append-only stage history, one row per move the plan reached.
INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor, source)
SELECT lead_id, mv.from_stage, mv.to_stage, mv.moved_at, 'demo', 'demo'
FROM (
    SELECT lead_id, now_ts, unnest([
        {'from_stage': NULL,          'to_stage': 'inquiry',      'moved_at': created_at},
        {'from_stage': 'inquiry',     'to_stage': 'mql',          'moved_at': t_mql},
        {'from_stage': 'mql',         'to_stage': 'recycled',     'moved_at': t_reject},
        {'from_stage': 'mql',         'to_stage': 'sal',          'moved_at': t_sal},
        {'from_stage': 'sal',         'to_stage': 'disqualified', 'moved_at': t_dq},
        {'from_stage': 'sal',         'to_stage': 'sql',          'moved_at': t_sql},
        {'from_stage': 'sql',         'to_stage': 'opportunity',  'moved_at': t_opp},
        {'from_stage': 'opportunity', 'to_stage': 'customer',     'moved_at': t_won},
        {'from_stage': 'opportunity', 'to_stage': 'disqualified', 'moved_at': t_lost}
    ]) AS mv
    FROM plan_stage
)
WHERE mv.moved_at <= now_ts
ORDER BY lead_id, mv.moved_at;
