-- Demo step 5: the form fill that created each lead, and sales touches for worked leads,
-- the last of them exactly at the lead's last_touch_at.
-- Ids are numbered explicitly in (campaign, lead, touch) order rather than drawn from the
-- sequence row by row: a parallel insert draws nextval in no fixed order, and the same
-- seed must give the same file. The sequence is advanced past them at the end.
INSERT INTO touches (touch_id, lead_id, person_id, kind, touched_at, note)
SELECT row_number() OVER (ORDER BY campaign_id, lead_id), lead_id, NULL, 'form', created_at,
       'Form fill'
FROM plan_stage;

INSERT INTO touches (touch_id, lead_id, person_id, kind, touched_at, note)
WITH worked AS (
    SELECT lead_id, campaign_id, owner_id, first_contact_at, last_touch_at,
           1 + (rnd(lead_id, 39) * 3)::INTEGER AS touches
    FROM leads
    WHERE first_contact_at IS NOT NULL AND last_touch_at >= first_contact_at
), numbered AS (
    SELECT worked.*,
           getvariable('n') + sum(touches) OVER (ORDER BY campaign_id, lead_id) - touches AS before
    FROM worked
)
SELECT
    before + k + 1,
    lead_id,
    owner_id,
    list_extract(['email', 'call', 'email', 'meeting'], 1 + (k % 4)::INTEGER),
    CASE WHEN k = 0 THEN last_touch_at
         ELSE first_contact_at + to_microseconds(
             (epoch_us(last_touch_at - first_contact_at) * rnd(lead_id, 40 + k))::BIGINT)
    END,
    NULL
FROM numbered, range(0, touches) AS r(k);

SELECT max(nextval('touch_ids')) FROM range((SELECT count(*) FROM touches));
