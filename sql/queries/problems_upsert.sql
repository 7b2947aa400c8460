-- New problems from `staged`; a problem stored as failed is replaced by a new attempt, any other is kept.
INSERT INTO problems (problem_id, source_id, question, entry_point, reference, origin, model, prompt_version,
                      status, status_reason, metadata, run_id)
SELECT problem_id, source_id, question, entry_point, reference, origin, model, prompt_version,
       status, status_reason, metadata::JSON, $run_id
FROM staged
ON CONFLICT (problem_id) DO UPDATE SET
    question = excluded.question, entry_point = excluded.entry_point, reference = excluded.reference,
    status = excluded.status, status_reason = excluded.status_reason, metadata = excluded.metadata,
    run_id = excluded.run_id
WHERE problems.status = 'failed';
