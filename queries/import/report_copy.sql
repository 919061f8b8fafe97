-- Every error, to the --report CSV file.
COPY (
    SELECT file, line, col AS column, value, reason FROM imp_report
    ORDER BY file_index, line, col, reason
) TO $path (HEADER, DELIMITER ',');
