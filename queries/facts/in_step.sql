-- Do the stored facts still describe the tables? True when the fingerprints the writers
-- stored with the facts (their total, fact_sources_total) add up to the fingerprint of
-- leads, deals and disputes as they are now. Summed per table, not over a UNION ALL of facts/source_rows.sql
-- (a third of the time: three parallel scans instead of one union). Same hash arguments
-- as there.
SELECT coalesce((SELECT max(h) FROM fact_sources_total), -1) = (
    coalesce((SELECT sum(hash(lead_id, company, owner_id, campaign_id, stage, stage_entered_at,
                              mql_at, accepted_at, last_touch_at, reached_stage, created_at,
                              sql_at, opportunity_at, customer_at, first_contact_at, external_id)) FROM leads), 0)
    + coalesce((SELECT sum(hash(deal_id, lead_id, stage, amount, stage_entered_at,
                                last_touch_at, created_at, closed_at, expected_close, external_id)) FROM deals), 0)
    + coalesce((SELECT sum(hash(dispute_id, lead_id, status, raised_by)) FROM disputes), 0)
)
