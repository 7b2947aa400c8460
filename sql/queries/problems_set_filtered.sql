-- Filtering outcome per problem from `staged` (problem_id, status, status_reason, mutation_score).
UPDATE problems SET status = s.status, status_reason = s.status_reason, mutation_score = s.mutation_score
FROM staged s
WHERE problems.problem_id = s.problem_id;
