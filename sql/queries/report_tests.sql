-- Per problem origin and overall: tests per problem before and after filtering, problems kept, mutation score.
WITH per_problem AS (
    SELECT p.problem_id, p.origin, p.status, p.mutation_score,
           count(t.test_id) AS synthesized,
           count(t.test_id) FILTER (WHERE t.kept) AS kept_tests
    FROM problems p LEFT JOIN tests t USING (problem_id)
    WHERE p.status IN ('kept', 'dropped')
    GROUP BY ALL
)
SELECT coalesce(origin, 'all') AS origin,
       count(*) AS problems_filtered,
       count(*) FILTER (WHERE status = 'kept') AS problems_kept,
       avg(synthesized) AS tests_per_problem_before,
       avg(kept_tests) FILTER (WHERE status = 'kept') AS tests_per_kept_problem_after,
       avg(kept_tests) AS tests_per_problem_after,
       avg(mutation_score) AS mean_mutation_score,
       count(*) FILTER (WHERE status = 'kept' AND kept_tests >= 10)::DOUBLE
           / nullif(count(*), 0) AS share_with_10_kept_tests
FROM per_problem
GROUP BY ROLLUP (origin)
ORDER BY origin NULLS LAST;
