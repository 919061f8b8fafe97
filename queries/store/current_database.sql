-- The name of the connection's current database (catalog).
SELECT current_database()
