-- What this unit of work settled: true when it reads the stored facts.
SELECT stored FROM temp.main.facts_checked
