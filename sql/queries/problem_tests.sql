-- Every test of the staged problems.
SELECT test_id, problem_id, idx, code, origin, kept
FROM tests
WHERE problem_id IN (SELECT problem_id FROM staged)
ORDER BY problem_id, idx;
