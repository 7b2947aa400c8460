-- Everything a pairs export row needs: question, first kept test, both programs and the kept tests.
WITH kept AS (
    SELECT problem_id, list(code ORDER BY idx) AS tests FROM tests WHERE kept GROUP BY problem_id
)
SELECT pr.problem_id, q.question, k.tests[1] AS first_test, k.tests,
       pr.chosen_program_id, pr.rejected_program_id, c.code AS chosen_code, r.code AS rejected_code,
       pr.chosen_pass_rate, pr.rejected_pass_rate
FROM pairs pr
JOIN problems q USING (problem_id)
JOIN kept k USING (problem_id)
JOIN programs c ON c.program_id = pr.chosen_program_id
JOIN programs r ON r.program_id = pr.rejected_program_id
WHERE NOT coalesce(q.evaluation_only, false)  -- benchmark tasks are never training data
ORDER BY pr.problem_id, pr.pair_id;
