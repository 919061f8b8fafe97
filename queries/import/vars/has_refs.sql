-- Does this import have deal or touch rows (else lead look-ups are not built)?
SET VARIABLE imp_has_refs =
    (SELECT count(*) > 0 FROM imp_src_deals) OR (SELECT count(*) > 0 FROM imp_src_touches);
