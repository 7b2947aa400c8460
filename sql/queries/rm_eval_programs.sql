-- Fully scored sampled programs of the staged problems (reference solutions left out, as in export_rl), with
-- what a reward model reads (question, first kept test, code) and their pass rate, for reward-model evaluation.
WITH first_test AS (
    SELECT problem_id, code AS first_test
    FROM tests
    WHERE kept
    QUALIFY row_number() OVER (PARTITION BY problem_id ORDER BY idx) = 1
)
SELECT r.problem_id, r.program_id, q.question, f.first_test, p.code, r.pass_rate
FROM pass_rates r
JOIN programs p USING (program_id)
JOIN problems q ON q.problem_id = r.problem_id
LEFT JOIN first_test f ON f.problem_id = r.problem_id
WHERE r.executed = r.kept_tests
  AND r.policy <> 'reference'
  AND r.problem_id IN (SELECT problem_id FROM staged)
ORDER BY r.problem_id, r.program_id;
