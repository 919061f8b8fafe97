-- Project one export file (imp_raw, text as read) onto standup's people columns.
-- Generic over every export: which header column feeds which standup column is in the
-- variable imp_cols (standup column -> [source, second source]; '__standup_null', a column
-- of NULLs read_*.sql adds, where there is none). COLUMNS(lambda) resolves the names when
-- the statement is bound, so this is plain column access: no per-row lookup, no SQL text
-- built from the file. Value maps and defaults: imp_fill (setup.sql).
INSERT INTO imp_src_people
WITH parts AS (
    SELECT
        rowid AS rid,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][1])) AS external_id__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][2])) AS external_id__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][1])) AS name__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][2])) AS name__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][1])) AS email__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][2])) AS email__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['team'][1])) AS team__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['team'][2])) AS team__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['title'][1])) AS title__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['title'][2])) AS title__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['active'][1])) AS active__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['active'][2])) AS active__2
    FROM imp_raw
)
SELECT
    $file AS file,
    coalesce(lf.line, parts.rid - $first_rowid + $first_line) AS line,
    imp_fill('people.external_id', imp_join('external_id', external_id__1, external_id__2)) AS external_id,
    imp_fill('people.name', imp_join('name', name__1, name__2)) AS name,
    imp_fill('people.email', imp_join('email', email__1, email__2)) AS email,
    imp_fill('people.team', imp_join('team', team__1, team__2)) AS team,
    imp_fill('people.title', imp_join('title', title__1, title__2)) AS title,
    imp_fill('people.active', imp_join('active', active__1, active__2)) AS active
FROM parts
-- line numbers of a CSV whose quoted cells span lines (raw_lines.sql; usually empty)
LEFT JOIN imp_lines AS lf ON lf.rid = parts.rid;
