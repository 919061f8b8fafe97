-- One lookup file of the mapping: its $match column (lower-cased, trimmed) -> $value column,
-- for the standup column $col. derive.sql reads it.
INSERT INTO imp_lookups
SELECT $col, lower(trim(COLUMNS(c -> c = $match))), trim(COLUMNS(c -> c = $value))
FROM read_csv($file, all_varchar = true, header = true);
