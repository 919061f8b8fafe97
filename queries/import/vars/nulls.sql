-- cell texts that mean empty (the mapping's null_values).
SET VARIABLE imp_nulls = $v::VARCHAR[];
