-- The imported benchmark tasks (evaluation-only), with the task id each was imported from and its input
-- contract (empty where the benchmark has none).
SELECT problem_id, metadata->>'task_id' AS task_id, entry_point, question, reference,
       coalesce(metadata->>'contract', '') AS contract
FROM problems
WHERE evaluation_only AND metadata->>'task_id' IS NOT NULL
ORDER BY problem_id;
