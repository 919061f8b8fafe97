-- One line per record (the usual case): project_<table>.sql numbers lines from rowids.
CREATE OR REPLACE TEMP TABLE imp_lines (rid BIGINT, line BIGINT);
