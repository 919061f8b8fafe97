-- Redaction on (`m`, --redact): the SQL prompt's private instance sees the tables that hold
-- contact data through temporary views of the same names, which DuckDB resolves before
-- the file's own (written @catalog.main.<table>, the file's catalog, which redacted SQL
-- may not name: standup.adhoc refuses it). Same rules as standup/redact.py: a contact's
-- name becomes initials, an email its company domain, free text has emails reduced to
-- their domain and the lead's contact name to initials; rejected import rows (raw CRM
-- lines) are withheld. Nothing is written: temporary objects live in memory.
CREATE TEMP MACRO standup_initials(name) AS
    CASE WHEN name IS NULL THEN NULL WHEN trim(name) = '' THEN '' ELSE array_to_string(
        list_transform(
            list_filter(regexp_split_to_array(trim(name), '[\s\-]+'), p -> p <> ''),
            p -> CASE WHEN regexp_matches(left(p, 1), '^[[:alpha:]]$') THEN upper(left(p, 1)) || '.' ELSE '' END
        ), '') END;
CREATE TEMP MACRO standup_emails(t) AS
    regexp_replace(t, '[A-Za-z0-9._%+\-'']+@([A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+)', '@\1', 'g');
CREATE TEMP MACRO standup_domain(email) AS
    CASE WHEN email IS NULL THEN NULL WHEN email = '' THEN ''
         ELSE coalesce('@' || lower(nullif(regexp_extract(email, '@([A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+)', 1), '')),
                       '(email hidden)') END;
CREATE TEMP MACRO standup_scrub(t, name) AS
    standup_emails(CASE WHEN name IS NULL OR trim(name) = '' THEN t
                        ELSE regexp_replace(t, regexp_escape(trim(name)), standup_initials(name), 'gi') END);
CREATE TEMP VIEW leads AS
SELECT * REPLACE (standup_initials(contact_name) AS contact_name, standup_domain(email) AS email)
FROM @catalog.main.leads;
CREATE TEMP VIEW disputes AS
SELECT d.* REPLACE (standup_scrub(d.claim, l.contact_name) AS claim)
FROM @catalog.main.disputes AS d LEFT JOIN @catalog.main.leads AS l ON l.lead_id = d.lead_id;
CREATE TEMP VIEW touches AS
SELECT t.* REPLACE (standup_scrub(t.note, l.contact_name) AS note)
FROM @catalog.main.touches AS t LEFT JOIN @catalog.main.leads AS l ON l.lead_id = t.lead_id;
CREATE TEMP VIEW dispute_events AS
SELECT e.* REPLACE (
    standup_scrub(e.note, l.contact_name) AS note,
    standup_scrub(e.before_state, l.contact_name) AS before_state,
    standup_scrub(e.after_state, l.contact_name) AS after_state)
FROM @catalog.main.dispute_events AS e LEFT JOIN @catalog.main.leads AS l ON l.lead_id = e.lead_id;
CREATE TEMP VIEW import_quarantine AS
SELECT * REPLACE ('(redacted)' AS value, '(redacted)' AS row_data)
FROM @catalog.main.import_quarantine;
