-- Active reason codes for the pickers, grouped by kind.
SELECT code, kind, category, label, default_action, recycle_days
FROM reason_codes
WHERE active
ORDER BY kind, code
