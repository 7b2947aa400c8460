-- Stored compositions by depth: how many, their tests, the reference pass rate, and how often each
-- combinator occurs.
SELECT depth, count(*) AS compositions, round(avg(tests), 1) AS mean_tests, min(tests) AS min_tests,
       round(avg(reference_pass_rate), 3) AS reference_pass_rate, round(avg(params), 1) AS mean_params,
       count(*) FILTER (WHERE list_contains(combinators, 'map')) AS with_map,
       count(*) FILTER (WHERE list_contains(combinators, 'filter')) AS with_filter,
       count(*) FILTER (WHERE list_contains(combinators, 'fold')) AS with_fold,
       count(*) FILTER (WHERE list_contains(combinators, 'branch')) AS with_branch
FROM compositions
GROUP BY depth
ORDER BY depth;
