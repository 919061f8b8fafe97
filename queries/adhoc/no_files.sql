-- Redaction on, a query for the screen: no files at all, so the database file itself
-- cannot be read around the redacted views (read_blob and read_text may read the
-- database's own path even with external access off). The open database still reads.
SET enable_external_access = false;
SET disabled_filesystems = 'LocalFileSystem';
