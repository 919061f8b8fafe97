-- Project one export file (imp_raw, text as read) onto standup's campaigns columns.
-- Generic over every export: which header column feeds which standup column is in the
-- variable imp_cols (standup column -> [source, second source]; '__standup_null', a column
-- of NULLs read_*.sql adds, where there is none). COLUMNS(lambda) resolves the names when
-- the statement is bound, so this is plain column access: no per-row lookup, no SQL text
-- built from the file. Value maps and defaults: imp_fill (setup.sql).
INSERT INTO imp_src_campaigns
WITH parts AS (
    SELECT
        rowid AS rid,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][1])) AS external_id__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][2])) AS external_id__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][1])) AS name__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][2])) AS name__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['channel'][1])) AS channel__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['channel'][2])) AS channel__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][1])) AS owner__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][2])) AS owner__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['started_on'][1])) AS started_on__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['started_on'][2])) AS started_on__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['ended_on'][1])) AS ended_on__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['ended_on'][2])) AS ended_on__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['spend'][1])) AS spend__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['spend'][2])) AS spend__2
    FROM imp_raw
)
SELECT
    $file AS file,
    coalesce(lf.line, parts.rid - $first_rowid + $first_line) AS line,
    imp_fill('campaigns.external_id', imp_join('external_id', external_id__1, external_id__2)) AS external_id,
    imp_fill('campaigns.name', imp_join('name', name__1, name__2)) AS name,
    imp_fill('campaigns.channel', imp_join('channel', channel__1, channel__2)) AS channel,
    imp_fill('campaigns.owner', imp_join('owner', owner__1, owner__2)) AS owner,
    imp_fill('campaigns.started_on', imp_join('started_on', started_on__1, started_on__2)) AS started_on,
    imp_fill('campaigns.ended_on', imp_join('ended_on', ended_on__1, ended_on__2)) AS ended_on,
    imp_fill('campaigns.spend', imp_join('spend', spend__1, spend__2)) AS spend
FROM parts
-- line numbers of a CSV whose quoted cells span lines (raw_lines.sql; usually empty)
LEFT JOIN imp_lines AS lf ON lf.rid = parts.rid;
