-- Pass rates of fully scored programs, by policy family (reference, reformat, mutant, or the model name).
SELECT split_part(policy, ':', 1) AS policy, pass_rate
FROM pass_rates
WHERE executed = kept_tests;
