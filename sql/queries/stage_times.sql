-- Wall time of the latest run of each stage.
SELECT stage, status, round(epoch(finished_at - started_at), 1) AS seconds, metrics
FROM runs
QUALIFY row_number() OVER (PARTITION BY stage ORDER BY started_at DESC) = 1
ORDER BY started_at;
