-- Import session setup: cleaning macros and the error table. Variables set by the caller:
-- imp_nulls (cell texts that mean empty), imp_formats (strptime formats).
-- CSV files get imp_nulls from the reader itself (nullstr), which is much faster; their
-- cells only need trimming, and only the rare ones with outer spaces pay for it.
CREATE OR REPLACE TEMP MACRO imp_trim(x) AS
    CASE WHEN starts_with(x, ' ') OR ends_with(x, ' ') THEN nullif(trim(x), '') ELSE x END;
CREATE OR REPLACE TEMP MACRO imp_clean(x) AS
    CASE WHEN x IS NULL OR list_contains(getvariable('imp_nulls'), trim(x::VARCHAR))
         THEN NULL ELSE trim(x::VARCHAR) END;
-- ISO 8601 first (unambiguous, and a cast is ~10x cheaper than strptime), then the
-- mapping's formats in order. CASE evaluates strptime only for the rows that need it.
CREATE OR REPLACE TEMP MACRO imp_ts(x) AS
    CASE WHEN try_cast(x AS TIMESTAMP) IS NOT NULL THEN try_cast(x AS TIMESTAMP)
         ELSE try_strptime(x, getvariable('imp_formats')) END;
-- Amounts as CRMs print them: currency signs, thousands separators, spaces.
CREATE OR REPLACE TEMP MACRO imp_num(x) AS
    try_cast(regexp_replace(x, '[\s$€£,]', '', 'g') AS DECIMAL(18, 2));
CREATE OR REPLACE TEMP TABLE imp_errors (
    tbl VARCHAR, file VARCHAR, line BIGINT, col VARCHAR, value VARCHAR, reason VARCHAR
);
-- Rows of the file that repeat an earlier row exactly: skipped, counted, not an error.
CREATE OR REPLACE TEMP TABLE imp_skip (tbl VARCHAR, file VARCHAR, line BIGINT);
