-- Unqualified table names in the panels' SQL mean the team's database.
USE @alias
