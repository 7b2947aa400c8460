-- Ground-truth labels from `staged`; a program labelled already keeps its label.
INSERT INTO ground_truth (program_id, problem_id, task_id, base_passed, plus_passed, pass_rate, run_id)
SELECT program_id, problem_id, task_id, base_passed, plus_passed, pass_rate, $run_id FROM staged
ON CONFLICT DO NOTHING;
