-- After the setup: mark it (@mark, a hex digest of its text, written in by Python: a
-- COMMENT takes no parameters), so an app that opens the database can tell it is current.
COMMENT ON FUNCTION standup_refresh_facts(BIGINT[]) IS '@mark'
