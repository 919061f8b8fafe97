-- A CSV whose quoted cells span lines (notes, addresses): a record's first line is its
-- place plus the line breaks inside the records before it. Only run for such files.
CREATE OR REPLACE TEMP TABLE imp_lines AS
SELECT rid,
       $first_line + (rid - $first_rowid)
       + coalesce(sum(breaks) OVER (ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                  0) AS line
FROM (
    SELECT rid, length(cells) - length(replace(cells, chr(10), '')) AS breaks
    FROM (
        SELECT rowid AS rid, concat_ws(chr(31), *COLUMNS(* EXCLUDE (__standup_null))) AS cells
        FROM imp_raw
    )
);
