-- Serve mode: no reading or writing files outside the database, and no way to turn it back on.
SET enable_external_access = false;
SET lock_configuration = true;
