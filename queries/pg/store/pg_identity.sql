-- Who the app is connected as, and whether that role may change disputes (viewers cannot).
SELECT current_user, current_database(), has_table_privilege('disputes', 'UPDATE')
