-- New compositions from `staged`; one already stored (same structure) is left as it is.
INSERT INTO compositions (composition_id, source_id, problem_id, entry_point, structure, atom_sequence, depth,
                          combinators, topics, params, tests, reference_pass_rate, template_question, seed,
                          generator_version, run_id)
SELECT composition_id, source_id, problem_id, entry_point, structure::JSON, atom_sequence, depth,
       combinators, topics, params, tests, reference_pass_rate, template_question, seed, generator_version, $run_id
FROM staged
ON CONFLICT DO NOTHING;
