-- Write new touches, and move each touched lead's last_touch_at forward to its newest.
INSERT INTO touches (lead_id, person_id, kind, touched_at, note)
SELECT lead_id, person_id, kind, touched_at, note
FROM imp_touches_plan WHERE action = 'new' ORDER BY touched_at, lead_id;
UPDATE leads SET last_touch_at = t.latest
FROM (
    SELECT lead_id, max(touched_at) AS latest FROM imp_touches_plan
    WHERE action = 'new' GROUP BY lead_id
) AS t
WHERE leads.lead_id = t.lead_id AND (leads.last_touch_at IS NULL OR leads.last_touch_at < t.latest);
