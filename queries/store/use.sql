-- Unqualified names (tables, sequences, macros, CREATE in migrations) resolve in the file.
USE @alias
