-- Programs of imported benchmark tasks with no ground-truth label yet (the reference is right by definition).
SELECT p.program_id, p.problem_id, p.code, q.metadata->>'task_id' AS task_id
FROM programs p
JOIN problems q USING (problem_id)
WHERE q.evaluation_only AND q.metadata->>'task_id' IS NOT NULL
  AND p.policy <> 'reference'
  AND NOT EXISTS (SELECT 1 FROM ground_truth g WHERE g.program_id = p.program_id)
ORDER BY task_id, p.program_id;
