-- One table's rows from the CSV the local file wrote (names spliced by standup.team.push).
COPY @table (@columns) FROM STDIN (FORMAT csv)
