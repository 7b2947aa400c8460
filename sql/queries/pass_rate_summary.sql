-- Pass rates of fully scored programs per policy family: count, mean, quartiles, share at 0 and at 1.
SELECT split_part(policy, ':', 1) AS policy, count(*) AS programs, avg(pass_rate) AS mean,
       quantile_cont(pass_rate, 0.25) AS q25, median(pass_rate) AS median, quantile_cont(pass_rate, 0.75) AS q75,
       avg((pass_rate = 0)::INT) AS share_zero, avg((pass_rate = 1)::INT) AS share_one
FROM pass_rates
WHERE executed = kept_tests
GROUP BY ALL
ORDER BY programs DESC;
