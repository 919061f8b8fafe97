-- Demo step 6: the append-only stage history, one row per move the plan reached.
-- A lead's moves form a chain (inquiry, mql, recycled or sal, disqualified or sql,
-- opportunity, customer or lost), so a move's place in it is fixed ("pos"); ids number
-- the moves in (lead, time) order from a running count of moves per lead, not from a
-- parallel nextval, so the same seed gives the same ids. The sequence is advanced after.
INSERT INTO stage_history (history_id, lead_id, from_stage, to_stage, moved_at, actor, source)
WITH moves AS (
    SELECT lead_id, now_ts, [
        {'pos': 1, 'from_stage': NULL,          'to_stage': 'inquiry',      'moved_at': created_at},
        {'pos': 2, 'from_stage': 'inquiry',     'to_stage': 'mql',          'moved_at': t_mql},
        {'pos': 3, 'from_stage': 'mql',         'to_stage': 'recycled',     'moved_at': t_reject},
        {'pos': 3, 'from_stage': 'mql',         'to_stage': 'sal',          'moved_at': t_sal},
        {'pos': 4, 'from_stage': 'sal',         'to_stage': 'disqualified', 'moved_at': t_dq},
        {'pos': 4, 'from_stage': 'sal',         'to_stage': 'sql',          'moved_at': t_sql},
        {'pos': 5, 'from_stage': 'sql',         'to_stage': 'opportunity',  'moved_at': t_opp},
        {'pos': 6, 'from_stage': 'opportunity', 'to_stage': 'customer',     'moved_at': t_won},
        {'pos': 6, 'from_stage': 'opportunity', 'to_stage': 'disqualified', 'moved_at': t_lost}
    ] AS mvs
    FROM plan_stage
), reached AS (
    SELECT lead_id, list_filter(mvs, mv -> mv.moved_at <= now_ts) AS mvs FROM moves
), numbered AS (
    SELECT lead_id, mvs, sum(len(mvs)) OVER (ORDER BY lead_id) - len(mvs) AS before
    FROM reached
)
SELECT before + mv.pos, lead_id, mv.from_stage, mv.to_stage, mv.moved_at, 'demo', 'demo'
FROM (SELECT lead_id, before, unnest(mvs) AS mv FROM numbered)
ORDER BY 1;

SELECT max(nextval('stage_history_ids')) FROM range((SELECT count(*) FROM stage_history));
