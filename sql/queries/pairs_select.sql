-- AceCoder's pair rule over fully scored programs, one program per normalised AST per problem:
--   chosen >= $min_chosen, chosen - rejected >= $min_gap, rejected > $min_rejected,
-- at most $max_per_problem pairs per problem (largest gap first, then a stable hash order).
-- Pass rates are ratios of small integers, so the comparisons allow 1e-9 of float rounding.
WITH scored AS (
    SELECT program_id, problem_id, pass_rate,
           row_number() OVER (PARTITION BY problem_id, coalesce(normalized_hash, program_id)
                              ORDER BY program_id) AS copy
    FROM pass_rates
    WHERE executed = kept_tests
      -- benchmark tasks (evaluation-only) never give reward-model pairs
      AND problem_id NOT IN (SELECT problem_id FROM problems WHERE evaluation_only)
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
SELECT *, md5(chosen_program_id || rejected_program_id) AS pair_id
FROM candidates
QUALIFY row_number() OVER (
    PARTITION BY problem_id
    ORDER BY chosen_pass_rate - rejected_pass_rate DESC, md5(chosen_program_id || rejected_program_id || $seed::VARCHAR)
) <= $max_per_problem
ORDER BY problem_id, pair_id;
