-- Programs of kept problems with no verdict yet (a program's verdicts are written together).
SELECT p.program_id, p.problem_id, p.code
FROM programs p
JOIN problems q USING (problem_id)
WHERE q.status = 'kept'
  AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.program_id = p.program_id)
ORDER BY p.problem_id, p.program_id
LIMIT $limit;
