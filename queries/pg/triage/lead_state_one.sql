-- One lead's triage fields by primary key; locked until commit in a write.
SELECT lead_id, stage, owner_id, reason_code, recycle_on, stage_entered_at, accepted_at,
       reached_stage,
       updated_at, company, contact_name, campaign_id, score, external_id
FROM leads
WHERE lead_id = $id
/*@for_update*/
