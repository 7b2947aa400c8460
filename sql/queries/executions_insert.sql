-- Verdicts from `staged`; a (program, test) pair already judged keeps its first verdict.
INSERT INTO executions (program_id, test_id, status, error_type, error_line, category, message, duration_ms, run_id)
SELECT program_id, test_id, status, error_type, error_line, category, message, duration_ms, run_id FROM staged
ON CONFLICT DO NOTHING;
