-- Record one file of the import.
INSERT INTO imp_files VALUES ($file, $label, $row_offset);
