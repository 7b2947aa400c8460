-- The results of one ablation, one row per cell and evaluation set.
SELECT mix, regime, benchmark, tests, pass_at_1, tasks, model_dir, demonstration, run_id
FROM ablation_results
WHERE ablation_id = $ablation_id
ORDER BY mix, regime, benchmark, tests;
