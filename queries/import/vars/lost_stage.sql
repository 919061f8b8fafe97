-- what a lost deal does to its lead (deals.lost_lead_stage: disqualified / keep).
SET VARIABLE imp_lost_stage = $v::VARCHAR;
