-- New pairs from `staged`; a pair already stored is kept as it is.
INSERT INTO pairs (pair_id, problem_id, chosen_program_id, rejected_program_id, chosen_pass_rate,
                   rejected_pass_rate, rule, run_id)
SELECT pair_id, problem_id, chosen_program_id, rejected_program_id, chosen_pass_rate, rejected_pass_rate,
       $rule::JSON, $run_id
FROM staged
ON CONFLICT DO NOTHING;
