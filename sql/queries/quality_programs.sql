-- Labelled programs with what the quality report needs of them.
SELECT p.program_id, p.problem_id, g.task_id, p.policy, p.normalized_hash,
       g.base_passed, g.plus_passed, g.pass_rate AS gt_pass_rate
FROM ground_truth g
JOIN programs p USING (program_id)
ORDER BY p.problem_id, p.program_id;
