-- Add (or update) the mapping's reason codes, in the import's transaction.
INSERT INTO reason_codes BY NAME
SELECT code, kind, category, coalesce(nullif(label, ''), code) AS label, default_action,
       recycle_days, true AS active
FROM imp_reason_codes
ON CONFLICT (code) DO UPDATE SET
    kind = excluded.kind, category = excluded.category, label = excluded.label,
    default_action = excluded.default_action, recycle_days = excluded.recycle_days,
    active = true;
