-- A push moves millions of rows in one transaction: no per-statement time limit for it.
SET LOCAL statement_timeout = 0
