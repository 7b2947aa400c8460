-- Every test of a problem that has labelled programs, with its origin and filter verdict.
SELECT t.test_id, t.problem_id, t.origin, t.kept, t.drop_reason
FROM tests t
WHERE t.problem_id IN (SELECT problem_id FROM ground_truth)
ORDER BY t.problem_id, t.idx;
