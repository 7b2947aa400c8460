-- Reward-model evidence (research use on evaluation-only benchmark tasks, never a training export): every
-- program of $policy on an evaluation-only problem, with what a reward model reads (question, first kept
-- test, code), its pass rate on the kept synthesized tests (NULL until fully scored, or when the task kept
-- no tests) and its ground-truth verdicts on the benchmark's base and plus inputs.
WITH first_test AS (
    SELECT problem_id, code AS first_test
    FROM tests
    WHERE kept
    QUALIFY row_number() OVER (PARTITION BY problem_id ORDER BY idx) = 1
),
scored AS (
    SELECT program_id, pass_rate FROM pass_rates WHERE executed = kept_tests
)
SELECT p.problem_id, g.task_id, p.program_id, p.sample_idx, q.question, f.first_test, p.code,
       s.pass_rate, g.base_passed, g.plus_passed
FROM programs p
JOIN problems q ON q.problem_id = p.problem_id
JOIN ground_truth g ON g.program_id = p.program_id
LEFT JOIN first_test f ON f.problem_id = p.problem_id
LEFT JOIN scored s ON s.program_id = p.program_id
WHERE q.evaluation_only AND p.policy = $policy
ORDER BY g.task_id, p.sample_idx;
