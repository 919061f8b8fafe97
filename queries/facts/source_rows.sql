-- The fingerprint of what the dashboard facts are computed from: one hash per row of
-- leads, deals and disputes (@these_leads picks the rows by lead_id), over every column
-- facts/live.sql reads, plus the row's key (and the CRM ids, which the panels' rows show:
-- standup/refs.py remembers them per fingerprint). Sums of them identify the tables' content:
-- any change to one of those columns, by anyone, changes the sum (but with a chance of
-- 2^-64). A column added to facts/live.sql must be added here too (tests/test_facts_trust.py
-- changes every column of the three tables and fails if a change to the facts goes unseen).
SELECT lead_id, hash(lead_id, company, owner_id, campaign_id, stage, stage_entered_at,
                     mql_at, accepted_at, last_touch_at, reached_stage, created_at,
                     sql_at, opportunity_at, customer_at, first_contact_at, external_id) AS h
FROM leads WHERE @these_leads
UNION ALL
SELECT lead_id, hash(deal_id, lead_id, stage, amount, stage_entered_at, last_touch_at,
                     created_at, closed_at, expected_close, external_id)
FROM deals WHERE @these_leads
UNION ALL
SELECT lead_id, hash(dispute_id, lead_id, status, raised_by)
FROM disputes WHERE @these_leads
