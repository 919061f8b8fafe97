-- the import's as-of time: updated_at, and when a stage change without a date happened.
SET VARIABLE imp_now = $v::TIMESTAMP;
