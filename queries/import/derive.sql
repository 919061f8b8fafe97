-- Derived and looked-up columns of the file just read (imp_raw), per row: over (a derive
-- rule matched: the value replaces the mapped column's) and fallback (a lookup found the
-- row's key: the value is used where the mapped column is empty). project_<table>.sql
-- joins it by rowid. $needed: the header names the rules and lookups read; $rules: one
-- struct per rule {col, pos, conds: [{src, val}], then} (val lower-cased, '' = empty);
-- $lookups: {col, src} over imp_lookups (lookup_insert.sql). Both lists carry a sentinel
-- that matches nothing, so their types are known even when the mapping has none.
CREATE OR REPLACE TEMP TABLE imp_derived AS
WITH cells AS (
    SELECT rid, col, lower(trim(val)) AS val
    FROM (
        UNPIVOT (SELECT rowid AS rid, COLUMNS(c -> list_contains($needed, c)) FROM imp_raw)
        ON COLUMNS(* EXCLUDE (rid)) INTO NAME col VALUE val
    )
),
rows AS (
    SELECT r.rowid AS rid, c.m
    FROM imp_raw AS r
    LEFT JOIN (
        SELECT rid, map_from_entries(list({'k': col, 'v': val})) AS m FROM cells GROUP BY rid
    ) AS c ON c.rid = r.rowid
),
rules AS (SELECT unnest($rules) AS ru),
derived AS (
    SELECT rows.rid, ru.col, arg_min(ru.then, ru.pos) AS value
    FROM rows, rules
    WHERE len(list_filter(ru.conds, x -> coalesce(rows.m[x.src], '') <> x.val)) = 0
    GROUP BY ALL
),
looked AS (
    SELECT rows.rid, l.col, any_value(l.v) AS value
    FROM rows
    JOIN (SELECT unnest($lookups) AS lk) ON true
    JOIN imp_lookups AS l ON l.col = lk.col AND l.k = rows.m[lk.src]
    GROUP BY ALL
)
SELECT rows.rid,
       (SELECT map_from_entries(list({'k': col, 'v': value})) FROM derived AS d WHERE d.rid = rows.rid) AS over,
       (SELECT map_from_entries(list({'k': col, 'v': value})) FROM looked AS k WHERE k.rid = rows.rid) AS fallback
FROM rows
