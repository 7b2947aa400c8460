-- New tests from `staged`; a test already stored (same problem, same code) is left as it is.
INSERT INTO tests (test_id, problem_id, idx, code, origin, run_id)
SELECT test_id, problem_id, idx, code, origin, $run_id FROM staged
ON CONFLICT DO NOTHING;
