-- 'table.column' -> (lower-cased source value -> standup value).
SET VARIABLE imp_values = MAP($k::VARCHAR[], list_transform($v, m -> MAP(m.k, m.v)));
