-- One reason code, for validation and its recycle default.
SELECT code, kind, category, label, default_action, recycle_days, active
FROM reason_codes
WHERE code = $code
