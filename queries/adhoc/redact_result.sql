-- Redaction on: the second layer, on the result itself (an Arrow table registered as
-- standup_result): every text column with email-looking text reduced to the domain
-- (@replacements: one standup_emails(<column>) per VARCHAR column, from queries/adhoc/
-- redacted.sql's macros). Catches what the views cannot see, e.g. DuckDB's own catalog.
SELECT * REPLACE (@replacements) FROM standup_result
