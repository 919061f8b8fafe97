-- Project one export file (imp_raw, text as read) onto standup's leads columns.
-- Generic over every export: which header column feeds which standup column is in the
-- variable imp_cols (standup column -> [source, second source]; '__standup_null', a column
-- of NULLs read_*.sql adds, where there is none). COLUMNS(lambda) resolves the names when
-- the statement is bound, so this is plain column access: no per-row lookup, no SQL text
-- built from the file. Value maps and defaults: imp_fill (setup.sql). A derive rule's value
-- wins over the mapped column, a lookup's fills it where it is empty (derive.sql).
INSERT INTO imp_src_leads
WITH parts AS (
    SELECT
        rowid AS rid,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][1])) AS external_id__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['external_id'][2])) AS external_id__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['company'][1])) AS company__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['company'][2])) AS company__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['contact_name'][1])) AS contact_name__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['contact_name'][2])) AS contact_name__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][1])) AS email__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['email'][2])) AS email__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][1])) AS owner__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['owner'][2])) AS owner__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['campaign'][1])) AS campaign__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['campaign'][2])) AS campaign__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['score'][1])) AS score__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['score'][2])) AS score__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage'][1])) AS stage__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage'][2])) AS stage__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['created_at'][1])) AS created_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['created_at'][2])) AS created_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage_entered_at'][1])) AS stage_entered_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['stage_entered_at'][2])) AS stage_entered_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['mql_at'][1])) AS mql_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['mql_at'][2])) AS mql_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['accepted_at'][1])) AS accepted_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['accepted_at'][2])) AS accepted_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['first_contact_at'][1])) AS first_contact_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['first_contact_at'][2])) AS first_contact_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['last_touch_at'][1])) AS last_touch_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['last_touch_at'][2])) AS last_touch_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['reason_code'][1])) AS reason_code__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['reason_code'][2])) AS reason_code__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['recycle_on'][1])) AS recycle_on__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['recycle_on'][2])) AS recycle_on__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['channel'][1])) AS channel__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['channel'][2])) AS channel__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['sql_at'][1])) AS sql_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['sql_at'][2])) AS sql_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['opportunity_at'][1])) AS opportunity_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['opportunity_at'][2])) AS opportunity_at__2,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['customer_at'][1])) AS customer_at__1,
        imp_cell(COLUMNS(c -> c = getvariable('imp_cols')['customer_at'][2])) AS customer_at__2
    FROM imp_raw
)
SELECT
    $file AS file,
    coalesce(lf.line, parts.rid - $first_rowid + $first_line) AS line,
    imp_fill('leads.external_id', coalesce(dv.over['external_id'], imp_join('external_id', external_id__1, external_id__2), dv.fallback['external_id'])) AS external_id,
    imp_fill('leads.company', coalesce(dv.over['company'], imp_join('company', company__1, company__2), dv.fallback['company'])) AS company,
    imp_fill('leads.contact_name', coalesce(dv.over['contact_name'], imp_join('contact_name', contact_name__1, contact_name__2), dv.fallback['contact_name'])) AS contact_name,
    imp_fill('leads.email', coalesce(dv.over['email'], imp_join('email', email__1, email__2), dv.fallback['email'])) AS email,
    imp_fill('leads.owner', coalesce(dv.over['owner'], imp_join('owner', owner__1, owner__2), dv.fallback['owner'])) AS owner,
    imp_fill('leads.campaign', coalesce(dv.over['campaign'], imp_join('campaign', campaign__1, campaign__2), dv.fallback['campaign'])) AS campaign,
    imp_fill('leads.score', coalesce(dv.over['score'], imp_join('score', score__1, score__2), dv.fallback['score'])) AS score,
    imp_fill('leads.stage', coalesce(dv.over['stage'], imp_join('stage', stage__1, stage__2), dv.fallback['stage'])) AS stage,
    imp_fill('leads.created_at', coalesce(dv.over['created_at'], imp_join('created_at', created_at__1, created_at__2), dv.fallback['created_at'])) AS created_at,
    imp_fill('leads.stage_entered_at', coalesce(dv.over['stage_entered_at'], imp_join('stage_entered_at', stage_entered_at__1, stage_entered_at__2), dv.fallback['stage_entered_at'])) AS stage_entered_at,
    imp_fill('leads.mql_at', coalesce(dv.over['mql_at'], imp_join('mql_at', mql_at__1, mql_at__2), dv.fallback['mql_at'])) AS mql_at,
    imp_fill('leads.accepted_at', coalesce(dv.over['accepted_at'], imp_join('accepted_at', accepted_at__1, accepted_at__2), dv.fallback['accepted_at'])) AS accepted_at,
    imp_fill('leads.first_contact_at', coalesce(dv.over['first_contact_at'], imp_join('first_contact_at', first_contact_at__1, first_contact_at__2), dv.fallback['first_contact_at'])) AS first_contact_at,
    imp_fill('leads.last_touch_at', coalesce(dv.over['last_touch_at'], imp_join('last_touch_at', last_touch_at__1, last_touch_at__2), dv.fallback['last_touch_at'])) AS last_touch_at,
    imp_fill('leads.reason_code', coalesce(dv.over['reason_code'], imp_join('reason_code', reason_code__1, reason_code__2), dv.fallback['reason_code'])) AS reason_code,
    imp_fill('leads.recycle_on', coalesce(dv.over['recycle_on'], imp_join('recycle_on', recycle_on__1, recycle_on__2), dv.fallback['recycle_on'])) AS recycle_on,
    imp_fill('leads.channel', coalesce(dv.over['channel'], imp_join('channel', channel__1, channel__2), dv.fallback['channel'])) AS channel,
    imp_fill('leads.sql_at', coalesce(dv.over['sql_at'], imp_join('sql_at', sql_at__1, sql_at__2), dv.fallback['sql_at'])) AS sql_at,
    imp_fill('leads.opportunity_at', coalesce(dv.over['opportunity_at'], imp_join('opportunity_at', opportunity_at__1, opportunity_at__2), dv.fallback['opportunity_at'])) AS opportunity_at,
    imp_fill('leads.customer_at', coalesce(dv.over['customer_at'], imp_join('customer_at', customer_at__1, customer_at__2), dv.fallback['customer_at'])) AS customer_at
FROM parts
-- line numbers of a CSV whose quoted cells span lines (raw_lines.sql; usually empty)
LEFT JOIN imp_lines AS lf ON lf.rid = parts.rid
-- derived and looked-up values (derive.sql; empty unless the mapping has derive / lookup)
LEFT JOIN imp_derived AS dv ON dv.rid = parts.rid;
