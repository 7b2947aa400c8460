-- The kept tests of the staged problems, in order.
SELECT test_id, problem_id, idx, code
FROM tests
WHERE kept AND problem_id IN (SELECT problem_id FROM staged)
ORDER BY problem_id, idx;
