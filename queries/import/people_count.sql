-- People in the database: none means this is a first import (owners get created).
SELECT count(*) FROM people
