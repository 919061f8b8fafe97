-- SQLite side of queries/panels/pipeline_stamp.sql: no summary here, so never usable.
SELECT NULL
