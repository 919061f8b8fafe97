-- Record which export column fed a standup column of one file.
INSERT INTO imp_columns VALUES ($file, $col, $source);
