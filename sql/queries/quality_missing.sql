-- (labelled program, test of its problem) with no verdict yet, in test order per program.
SELECT p.program_id, p.code, t.test_id, t.code AS test_code
FROM ground_truth g
JOIN programs p USING (program_id)
JOIN tests t ON t.problem_id = g.problem_id
WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.program_id = p.program_id AND e.test_id = t.test_id)
ORDER BY p.program_id, t.idx, t.test_id;
