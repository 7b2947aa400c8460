-- New programs from `staged`; the same program for the same problem is stored once.
INSERT INTO programs (program_id, problem_id, code, policy, normalized_hash, sample_idx, metadata, run_id)
SELECT program_id, problem_id, code, policy, normalized_hash, sample_idx, metadata::JSON, $run_id FROM staged
ON CONFLICT DO NOTHING;
