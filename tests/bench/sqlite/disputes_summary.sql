-- SQLite translation of queries/panels/disputes_summary.sql.
WITH open_disputes AS (
    SELECT d.raised_by, coalesce(r.label, d.reason_code) AS reason_label, d.due_at < $now AS overdue
    FROM disputes AS d
    LEFT JOIN reason_codes AS r ON r.code = d.reason_code
    WHERE d.status IN ('open', 'escalated')
)
SELECT 'reason' AS dimension, reason_label AS key, count(*) AS n FROM open_disputes GROUP BY 2
UNION ALL
SELECT 'side', raised_by, count(*) FROM open_disputes GROUP BY 2
UNION ALL
SELECT 'overdue', 'overdue', count(*) FILTER (WHERE overdue) FROM open_disputes
UNION ALL
SELECT 'total', 'total', count(*) FROM open_disputes
ORDER BY dimension, n DESC, key
