-- A problem's reference replaced by the filter's reference step, from `staged` (problem_id, reference,
-- reference_policy).
UPDATE problems SET reference = s.reference, reference_policy = s.reference_policy
FROM staged s
WHERE problems.problem_id = s.problem_id;
