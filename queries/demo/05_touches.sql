-- Demo step 5: the form fill that created each lead, and sales touches for worked leads,
-- the last of them exactly at the lead's last_touch_at.
INSERT INTO touches (lead_id, person_id, kind, touched_at, note)
SELECT lead_id, NULL, 'form', created_at, 'Form fill'
FROM plan_stage;

INSERT INTO touches (lead_id, person_id, kind, touched_at, note)
SELECT
    l.lead_id,
    l.owner_id,
    list_extract(['email', 'call', 'email', 'meeting'], 1 + (k % 4)::INTEGER),
    CASE WHEN k = 0 THEN l.last_touch_at
         ELSE l.first_contact_at + to_microseconds(
             (epoch_us(l.last_touch_at - l.first_contact_at) * rnd(l.lead_id, 40 + k))::BIGINT)
    END,
    NULL
FROM leads AS l, range(0, 1 + (rnd(l.lead_id, 39) * 3)::INTEGER) AS r(k)
WHERE l.first_contact_at IS NOT NULL AND l.last_touch_at >= l.first_contact_at;
