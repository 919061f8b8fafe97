-- the mapping's date formats, tried in order after ISO 8601.
SET VARIABLE imp_formats = $v::VARCHAR[];
