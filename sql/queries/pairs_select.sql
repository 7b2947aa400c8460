-- AceCoder's pair rule over fully scored programs, one program per normalised AST per problem and group:
--   chosen >= $min_chosen, chosen - rejected >= $min_gap, rejected > $min_rejected,
-- at most $max_per_problem pairs per problem (largest gap first, then a stable hash order).
-- Chosen and rejected come from the same policy's samples of a problem (AceCoder pairs the programs one
-- policy sampled): with $policies NULL, each sampling policy on its own and the stored reference never;
-- with a list of policies, the programs of those policies pooled (e.g. a model's samples and the reference).
-- The offline mutants policy's programs (reformat, mutant:...) form one policy, `mutants`.
-- Pass rates are ratios of small integers, so the comparisons allow 1e-9 of float rounding.
WITH grouped AS (
    SELECT *,
           CASE WHEN policy = 'reformat' OR starts_with(policy, 'mutant:') THEN 'mutants' ELSE policy END
               AS policy_group
    FROM pass_rates
),
selected AS (
    SELECT *, CASE WHEN $policies IS NULL THEN policy_group ELSE 'selected' END AS pair_group
    FROM grouped
    WHERE CASE WHEN $policies IS NULL THEN policy_group <> 'reference'
               ELSE list_contains($policies, policy_group) END
),
scored AS (
    SELECT program_id, problem_id, pair_group, pass_rate,
           row_number() OVER (PARTITION BY problem_id, pair_group, coalesce(normalized_hash, program_id)
                              ORDER BY program_id) AS copy
    FROM selected
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
    JOIN distinct_programs r
      ON r.problem_id = c.problem_id AND r.pair_group = c.pair_group AND r.program_id <> c.program_id
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
