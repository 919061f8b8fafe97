-- Project one export file (imp_raw, text as read) onto standup's deals columns.
-- Generic over every export: which header column feeds which standup column is in the
-- variable imp_cols (standup column -> [source, second source]; '__standup_null', a column
-- of NULLs read_*.sql adds, where there is none). COLUMNS(lambda) resolves the names when
-- the statement is bound, so this is plain column access: no per-row lookup, no SQL text
-- built from the file. Value maps and defaults: imp_fill (setup.sql). A derive rule's value
-- wins over the mapped column, a lookup's fills it where it is empty (derive.sql).
INSERT INTO imp_src_deals
WITH parts AS (
    SELECT
        rowid AS rid,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][1])) AS external_id__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][2])) AS external_id__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['lead'][1])) AS lead__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['lead'][2])) AS lead__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][1])) AS name__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['name'][2])) AS name__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][1])) AS owner__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][2])) AS owner__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage'][1])) AS stage__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage'][2])) AS stage__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['amount'][1])) AS amount__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['amount'][2])) AS amount__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['created_at'][1])) AS created_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['created_at'][2])) AS created_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage_entered_at'][1])) AS stage_entered_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage_entered_at'][2])) AS stage_entered_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['last_touch_at'][1])) AS last_touch_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['last_touch_at'][2])) AS last_touch_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['expected_close'][1])) AS expected_close__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['expected_close'][2])) AS expected_close__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['closed_at'][1])) AS closed_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['closed_at'][2])) AS closed_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['company'][1])) AS company__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['company'][2])) AS company__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['contact_name'][1])) AS contact_name__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['contact_name'][2])) AS contact_name__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][1])) AS email__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][2])) AS email__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['campaign'][1])) AS campaign__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['campaign'][2])) AS campaign__2
    FROM imp_raw
)
SELECT
    $file AS file,
    coalesce(lf.line, parts.rid - $first_rowid + $first_line) AS line,
    imp_fill('deals.external_id', coalesce(dv.over['external_id'], imp_join('external_id', external_id__1, external_id__2), dv.fallback['external_id'])) AS external_id,
    imp_fill('deals.lead', coalesce(dv.over['lead'], imp_join('lead', lead__1, lead__2), dv.fallback['lead'])) AS lead,
    imp_fill('deals.name', coalesce(dv.over['name'], imp_join('name', name__1, name__2), dv.fallback['name'])) AS name,
    imp_fill('deals.owner', coalesce(dv.over['owner'], imp_join('owner', owner__1, owner__2), dv.fallback['owner'])) AS owner,
    imp_fill('deals.stage', coalesce(dv.over['stage'], imp_join('stage', stage__1, stage__2), dv.fallback['stage'])) AS stage,
    imp_fill('deals.amount', coalesce(dv.over['amount'], imp_join('amount', amount__1, amount__2), dv.fallback['amount'])) AS amount,
    imp_fill('deals.created_at', coalesce(dv.over['created_at'], imp_join('created_at', created_at__1, created_at__2), dv.fallback['created_at'])) AS created_at,
    imp_fill('deals.stage_entered_at', coalesce(dv.over['stage_entered_at'], imp_join('stage_entered_at', stage_entered_at__1, stage_entered_at__2), dv.fallback['stage_entered_at'])) AS stage_entered_at,
    imp_fill('deals.last_touch_at', coalesce(dv.over['last_touch_at'], imp_join('last_touch_at', last_touch_at__1, last_touch_at__2), dv.fallback['last_touch_at'])) AS last_touch_at,
    imp_fill('deals.expected_close', coalesce(dv.over['expected_close'], imp_join('expected_close', expected_close__1, expected_close__2), dv.fallback['expected_close'])) AS expected_close,
    imp_fill('deals.closed_at', coalesce(dv.over['closed_at'], imp_join('closed_at', closed_at__1, closed_at__2), dv.fallback['closed_at'])) AS closed_at,
    imp_fill('deals.company', coalesce(dv.over['company'], imp_join('company', company__1, company__2), dv.fallback['company'])) AS company,
    imp_fill('deals.contact_name', coalesce(dv.over['contact_name'], imp_join('contact_name', contact_name__1, contact_name__2), dv.fallback['contact_name'])) AS contact_name,
    imp_fill('deals.email', coalesce(dv.over['email'], imp_join('email', email__1, email__2), dv.fallback['email'])) AS email,
    imp_fill('deals.campaign', coalesce(dv.over['campaign'], imp_join('campaign', campaign__1, campaign__2), dv.fallback['campaign'])) AS campaign
FROM parts
-- line numbers of a CSV whose quoted cells span lines (raw_lines.sql; usually empty)
LEFT JOIN imp_lines AS lf ON lf.rid = parts.rid
-- derived and looked-up values (derive.sql; empty unless the mapping has derive / lookup)
LEFT JOIN imp_derived AS dv ON dv.rid = parts.rid;
