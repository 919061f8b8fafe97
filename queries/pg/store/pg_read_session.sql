-- A read unit of work: one snapshot for all its statements, and no writes at all.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
