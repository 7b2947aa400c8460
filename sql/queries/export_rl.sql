-- One row per kept problem; hard = mean pass rate below the median and spread above the median (AceCoder).
WITH kept AS (
    SELECT problem_id, list(code ORDER BY idx) AS tests FROM tests WHERE kept GROUP BY problem_id
),
rates AS (
    SELECT problem_id, avg(pass_rate) AS mean_pass_rate, coalesce(stddev_pop(pass_rate), 0) AS pass_rate_std,
           count(*) AS programs
    FROM pass_rates WHERE executed = kept_tests AND policy <> 'reference'
      AND problem_id NOT IN (SELECT problem_id FROM problems WHERE evaluation_only)
    GROUP BY problem_id
),
medians AS (SELECT median(mean_pass_rate) AS mean_median, median(pass_rate_std) AS std_median FROM rates)
SELECT q.problem_id, q.question, q.entry_point, k.tests, r.mean_pass_rate, r.pass_rate_std,
       coalesce(r.mean_pass_rate < m.mean_median AND r.pass_rate_std > m.std_median, false) AS hard
FROM problems q
JOIN kept k USING (problem_id)
LEFT JOIN rates r USING (problem_id)
CROSS JOIN medians m
WHERE q.status = 'kept' AND NOT coalesce(q.evaluation_only, false)  -- benchmark tasks are never RL data
ORDER BY q.problem_id;
