-- A push replaces everything in the target (catalog names spliced by standup.team.push).
TRUNCATE @tables
