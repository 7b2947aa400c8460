-- Verdicts of labelled programs on the tests of their own problem.
SELECT e.program_id, e.test_id, e.status = 'pass' AS passed
FROM executions e
JOIN ground_truth g USING (program_id)
JOIN tests t ON t.test_id = e.test_id AND t.problem_id = g.problem_id;
