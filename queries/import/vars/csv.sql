-- is the file being projected CSV (its reader already knows the null markers).
SET VARIABLE imp_csv = $v::BOOLEAN;
