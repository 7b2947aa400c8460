-- The kept tests of the staged problems, in order, with the reference solution's time on each (from the
-- filter stage's run; NULL where it was not measured), which per-test limits can follow.
SELECT t.test_id, t.problem_id, t.idx, t.code, r.reference_ms
FROM tests t
LEFT JOIN (
    SELECT e.test_id, max(e.duration_ms) AS reference_ms
    FROM executions e
    JOIN programs p USING (program_id)
    WHERE p.policy = 'reference' AND e.status = 'pass' AND p.problem_id IN (SELECT problem_id FROM staged)
    GROUP BY e.test_id
) r USING (test_id)
WHERE t.kept AND t.problem_id IN (SELECT problem_id FROM staged)
ORDER BY t.problem_id, t.idx;
