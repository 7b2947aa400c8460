-- Imported programs that carry their dataset's own pass rate (AceCode's `pass_rate`) beside the one scoring
-- gave on the kept tests: per policy, how many, the mean of each, their mean absolute difference and
-- correlation, and how often both call a program fully passing.
WITH both_rates AS (
    SELECT r.policy, r.pass_rate AS ours,
           (p.metadata->>'dataset_pass_rate')::DOUBLE AS theirs
    FROM pass_rates r
    JOIN programs p USING (program_id)
    WHERE r.executed = r.kept_tests AND p.metadata->>'dataset_pass_rate' IS NOT NULL
)
SELECT policy, count(*) AS programs, avg(theirs) AS dataset_mean, avg(ours) AS our_mean,
       avg(abs(ours - theirs)) AS mean_abs_difference, corr(ours, theirs) AS correlation,
       avg(((ours >= 1 - 1e-9) = (theirs >= 1 - 1e-9))::INT) AS full_pass_agreement
FROM both_rates
GROUP BY policy
ORDER BY policy;
