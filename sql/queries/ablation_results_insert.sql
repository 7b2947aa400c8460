-- The results of an ablation's cells; a cell evaluated again replaces its row.
INSERT OR REPLACE INTO ablation_results (ablation_id, mix, regime, benchmark, tests, pass_at_1, tasks, model_dir,
                                         demonstration, run_id)
SELECT ablation_id, mix, regime, benchmark, tests, pass_at_1, tasks, model_dir, demonstration, run_id FROM staged;
