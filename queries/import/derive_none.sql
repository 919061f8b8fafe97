-- No derive rules or lookups for this file: project_<table>.sql joins an empty table.
CREATE OR REPLACE TEMP TABLE imp_derived (
    rid BIGINT, over MAP(VARCHAR, VARCHAR), fallback MAP(VARCHAR, VARCHAR)
);
