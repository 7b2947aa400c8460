-- Imported problems from `staged` (with their evaluation-only mark); one already stored is left as it is.
INSERT INTO problems (problem_id, source_id, question, entry_point, reference, origin, model, prompt_version,
                      status, status_reason, evaluation_only, metadata, run_id)
SELECT problem_id, source_id, question, entry_point, reference, origin, model, prompt_version,
       status, status_reason, evaluation_only, metadata::JSON, $run_id
FROM staged
ON CONFLICT DO NOTHING;
