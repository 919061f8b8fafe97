-- Project one export file (imp_raw, text as read) onto standup's touches columns.
-- Generic over every export: which header column feeds which standup column is in the
-- variable imp_cols (standup column -> [source, second source]; '__standup_null', a column
-- of NULLs read_*.sql adds, where there is none). COLUMNS(lambda) resolves the names when
-- the statement is bound, so this is plain column access: no per-row lookup, no SQL text
-- built from the file. Value maps and defaults: imp_fill (setup.sql).
INSERT INTO imp_src_touches
WITH parts AS (
    SELECT
        rowid AS rid,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['lead'][1])) AS lead__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['lead'][2])) AS lead__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['person'][1])) AS person__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['person'][2])) AS person__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['kind'][1])) AS kind__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['kind'][2])) AS kind__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['touched_at'][1])) AS touched_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['touched_at'][2])) AS touched_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['note'][1])) AS note__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['note'][2])) AS note__2
    FROM imp_raw
)
SELECT
    $file AS file,
    coalesce(lf.line, parts.rid - $first_rowid + $first_line) AS line,
    imp_fill('touches.lead', imp_join('lead', lead__1, lead__2)) AS lead,
    imp_fill('touches.person', imp_join('person', person__1, person__2)) AS person,
    imp_fill('touches.kind', imp_join('kind', kind__1, kind__2)) AS kind,
    imp_fill('touches.touched_at', imp_join('touched_at', touched_at__1, touched_at__2)) AS touched_at,
    imp_fill('touches.note', imp_join('note', note__1, note__2)) AS note
FROM parts
-- line numbers of a CSV whose quoted cells span lines (raw_lines.sql; usually empty)
LEFT JOIN imp_lines AS lf ON lf.rid = parts.rid;
