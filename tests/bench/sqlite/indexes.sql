-- The indexes a careful SQLite user would add for the dashboard's queries.
CREATE INDEX leads_stage ON leads (stage, stage_entered_at);
CREATE INDEX leads_campaign ON leads (campaign_id);
CREATE INDEX deals_lead ON deals (lead_id);
CREATE INDEX deals_stage ON deals (stage, closed_at);
CREATE INDEX disputes_status ON disputes (status, due_at);
CREATE INDEX disputes_lead ON disputes (lead_id);
CREATE INDEX history_moved ON stage_history (moved_at, to_stage);
ANALYZE;
