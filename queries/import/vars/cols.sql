-- standup column -> [source column, second source] of the file being projected.
SET VARIABLE imp_cols = MAP($k::VARCHAR[], $v::VARCHAR[][]);
