-- 'table.column' -> value for an empty cell.
SET VARIABLE imp_defaults = MAP($k::VARCHAR[], $v::VARCHAR[]);
