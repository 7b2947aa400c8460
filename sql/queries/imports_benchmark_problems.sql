-- The imported benchmark tasks (evaluation-only), with the task id each was imported from.
SELECT problem_id, metadata->>'task_id' AS task_id, entry_point, question, reference
FROM problems
WHERE evaluation_only AND metadata->>'task_id' IS NOT NULL
ORDER BY problem_id;
