-- Why tests and problems were dropped, most frequent first.
SELECT 'test' AS what, regexp_replace(drop_reason, ':.*$', '') AS reason, count(*) AS n
FROM tests WHERE kept = false GROUP BY ALL
UNION ALL
SELECT 'problem', regexp_replace(status_reason, '^\d+ tests left.*$', 'too few tests left'), count(*)
FROM problems WHERE status IN ('dropped', 'failed') GROUP BY ALL
ORDER BY n DESC;
