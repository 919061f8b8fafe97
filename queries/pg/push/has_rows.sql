-- Whether the target already holds team data (a push refuses to mix two teams' files).
SELECT (SELECT count(*) FROM leads) + (SELECT count(*) FROM disputes)
     + (SELECT count(*) FROM people) + (SELECT count(*) FROM campaigns)
