-- Reward-model evidence (research use only): AceCoder's pair rule (as pairs_select.sql) applied to the
-- programs of $policy on EVALUATION-ONLY problems, which pairs_select.sql and every export leave out. The
-- evidence trains on some benchmark tasks' pairs and ranks other tasks' samples (cross-validation by task);
-- these rows are never stored in `pairs` nor exported.
WITH scored AS (
    SELECT r.program_id, r.problem_id, r.pass_rate,
           row_number() OVER (PARTITION BY r.problem_id, coalesce(r.normalized_hash, r.program_id)
                              ORDER BY r.program_id) AS copy
    FROM pass_rates r
    JOIN problems q ON q.problem_id = r.problem_id
    WHERE r.executed = r.kept_tests AND r.policy = $policy AND q.evaluation_only
),
distinct_programs AS (SELECT * FROM scored WHERE copy = 1),
candidates AS (
    SELECT c.problem_id,
           c.program_id AS chosen_program_id, r.program_id AS rejected_program_id,
           c.pass_rate AS chosen_pass_rate, r.pass_rate AS rejected_pass_rate
    FROM distinct_programs c
    JOIN distinct_programs r ON r.problem_id = c.problem_id AND r.program_id <> c.program_id
    WHERE c.pass_rate >= $min_chosen - 1e-9
      AND c.pass_rate - r.pass_rate >= $min_gap - 1e-9
      AND r.pass_rate > $min_rejected + 1e-9
)
SELECT *
FROM candidates
QUALIFY row_number() OVER (
    PARTITION BY problem_id
    ORDER BY chosen_pass_rate - rejected_pass_rate DESC,
             md5(chosen_program_id || rejected_program_id || $seed::VARCHAR)
) <= $max_per_problem
ORDER BY problem_id, chosen_program_id, rejected_program_id;
