-- Import session setup: cleaning macros and the error table. Variables set by the caller:
-- imp_nulls (cell texts that mean empty), imp_formats (strptime formats).
-- CSV files get imp_nulls from the reader itself (nullstr), which is much faster; their
-- cells only need trimming, and only the rare ones with outer spaces pay for it.
CREATE OR REPLACE TEMP MACRO imp_trim(x) AS
    CASE WHEN starts_with(x::VARCHAR, ' ') OR ends_with(x::VARCHAR, ' ')
         THEN nullif(trim(x::VARCHAR), '') ELSE x::VARCHAR END;
CREATE OR REPLACE TEMP MACRO imp_clean(x) AS
    CASE WHEN x IS NULL OR list_contains(getvariable('imp_nulls'), trim(x::VARCHAR))
         THEN NULL ELSE trim(x::VARCHAR) END;
-- One cell of the file being projected (imp_csv: is it CSV; both tests fold to constants).
CREATE OR REPLACE TEMP MACRO imp_cell(x) AS
    CASE WHEN getvariable('imp_csv') THEN imp_trim(x) ELSE imp_clean(x) END;
-- A standup column fed by two source columns (first + last name) joins them with a space.
CREATE OR REPLACE TEMP MACRO imp_join(col, a, b) AS
    CASE WHEN getvariable('imp_cols')[col][2] = '__standup_null' THEN a
         ELSE nullif(concat_ws(' ', a, b), '') END;
-- The mapping's value map for 'table.column' (imp_values; '' maps to empty), then its
-- default for an empty cell (imp_defaults). Unmapped values pass through for validation.
CREATE OR REPLACE TEMP MACRO imp_fill(key, x) AS
    coalesce(
        CASE WHEN NOT map_contains(getvariable('imp_values'), key) OR x IS NULL THEN x
             WHEN map_contains(getvariable('imp_values')[key], lower(x))
                 THEN nullif(getvariable('imp_values')[key][lower(x)], '')
             ELSE x END,
        getvariable('imp_defaults')[key]);
-- ISO 8601 first (unambiguous, and a cast is ~10x cheaper than strptime), then the
-- mapping's formats in order. CASE evaluates strptime only for the rows that need it.
CREATE OR REPLACE TEMP MACRO imp_ts(x) AS
    CASE WHEN try_cast(x AS TIMESTAMP) IS NOT NULL THEN try_cast(x AS TIMESTAMP)
         ELSE try_strptime(x, getvariable('imp_formats')) END;
-- For a date no format of the mapping reads: the first common format that does, so the
-- message can say what to add to date_formats. (DuckDB's strptime needs a constant format,
-- hence one branch per format.)
CREATE OR REPLACE TEMP MACRO imp_date_hint(x) AS
    CASE
             WHEN try_strptime(x, '%d/%m/%Y') IS NOT NULL THEN '%d/%m/%Y'
             WHEN try_strptime(x, '%m/%d/%Y') IS NOT NULL THEN '%m/%d/%Y'
             WHEN try_strptime(x, '%d.%m.%Y') IS NOT NULL THEN '%d.%m.%Y'
             WHEN try_strptime(x, '%d-%m-%Y') IS NOT NULL THEN '%d-%m-%Y'
             WHEN try_strptime(x, '%Y/%m/%d') IS NOT NULL THEN '%Y/%m/%d'
             WHEN try_strptime(x, '%d/%m/%Y %H:%M') IS NOT NULL THEN '%d/%m/%Y %H:%M'
             WHEN try_strptime(x, '%m/%d/%Y %H:%M') IS NOT NULL THEN '%m/%d/%Y %H:%M'
             WHEN try_strptime(x, '%d/%m/%Y %H:%M:%S') IS NOT NULL THEN '%d/%m/%Y %H:%M:%S'
             WHEN try_strptime(x, '%m/%d/%Y %H:%M:%S') IS NOT NULL THEN '%m/%d/%Y %H:%M:%S'
             WHEN try_strptime(x, '%m/%d/%Y %I:%M %p') IS NOT NULL THEN '%m/%d/%Y %I:%M %p'
             WHEN try_strptime(x, '%d %b %Y') IS NOT NULL THEN '%d %b %Y'
             WHEN try_strptime(x, '%d %B %Y') IS NOT NULL THEN '%d %B %Y'
             WHEN try_strptime(x, '%b %d, %Y') IS NOT NULL THEN '%b %d, %Y'
             WHEN try_strptime(x, '%B %d, %Y') IS NOT NULL THEN '%B %d, %Y'
             WHEN try_strptime(x, '%Y%m%d') IS NOT NULL THEN '%Y%m%d'
             WHEN try_strptime(x, '%d/%m/%y') IS NOT NULL THEN '%d/%m/%y'
             WHEN try_strptime(x, '%m/%d/%y') IS NOT NULL THEN '%m/%d/%y'
    END;
CREATE OR REPLACE TEMP MACRO imp_bad_date(x) AS
    'bad date' || coalesce(' (add "' || imp_date_hint(x) || '" to date_formats to read it)', '');
-- Amounts as CRMs print them: currency signs, thousands separators, spaces.
CREATE OR REPLACE TEMP MACRO imp_num(x) AS
    try_cast(regexp_replace(x, '[\s$€£,]', '', 'g') AS DECIMAL(18, 2));
CREATE OR REPLACE TEMP TABLE imp_errors (
    tbl VARCHAR, file INTEGER, line BIGINT, col VARCHAR, value VARCHAR, reason VARCHAR
);
-- Rows of the file that repeat an earlier row exactly: skipped, counted, not an error.
CREATE OR REPLACE TEMP TABLE imp_skip (tbl VARCHAR, file INTEGER, line BIGINT);
-- Every export's rows, projected onto standup's columns (project_<table>.sql), as text.
CREATE OR REPLACE TEMP TABLE imp_src_people (
    file INTEGER, line BIGINT, external_id VARCHAR, name VARCHAR, email VARCHAR, team VARCHAR,
    title VARCHAR, active VARCHAR
);
CREATE OR REPLACE TEMP TABLE imp_src_campaigns (
    file INTEGER, line BIGINT, external_id VARCHAR, name VARCHAR, channel VARCHAR,
    owner VARCHAR, started_on VARCHAR, ended_on VARCHAR, spend VARCHAR
);
CREATE OR REPLACE TEMP TABLE imp_src_leads (
    file INTEGER, line BIGINT, external_id VARCHAR, company VARCHAR, contact_name VARCHAR,
    email VARCHAR, owner VARCHAR, campaign VARCHAR, score VARCHAR, stage VARCHAR,
    created_at VARCHAR, stage_entered_at VARCHAR, mql_at VARCHAR, accepted_at VARCHAR,
    first_contact_at VARCHAR, last_touch_at VARCHAR, reason_code VARCHAR, recycle_on VARCHAR,
    channel VARCHAR, sql_at VARCHAR, opportunity_at VARCHAR, customer_at VARCHAR
);
CREATE OR REPLACE TEMP TABLE imp_src_deals (
    file INTEGER, line BIGINT, external_id VARCHAR, lead VARCHAR, name VARCHAR, owner VARCHAR,
    stage VARCHAR, amount VARCHAR, created_at VARCHAR, stage_entered_at VARCHAR,
    last_touch_at VARCHAR, expected_close VARCHAR, closed_at VARCHAR, company VARCHAR,
    contact_name VARCHAR, email VARCHAR, campaign VARCHAR
);
CREATE OR REPLACE TEMP TABLE imp_src_touches (
    file INTEGER, line BIGINT, lead VARCHAR, person VARCHAR, kind VARCHAR, touched_at VARCHAR,
    note VARCHAR
);
-- The files of this import (row_offset: rows before this file, for new ids) and which
-- export column fed which standup column in each (for the report).
-- Lookup files' keys and values (lookup_insert.sql), per standup column.
CREATE OR REPLACE TEMP TABLE imp_lookups (col VARCHAR, k VARCHAR, v VARCHAR);
CREATE OR REPLACE TEMP TABLE imp_files (file INTEGER, label VARCHAR, row_offset BIGINT);
CREATE OR REPLACE TEMP TABLE imp_columns (file INTEGER, col VARCHAR, source VARCHAR);
