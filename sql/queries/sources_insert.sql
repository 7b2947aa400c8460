-- New source rows from `staged`; a row whose content hash is stored already is left as it is.
INSERT INTO sources (source_id, dataset, row_ref, layout, question, solution, entry_point, topic, metadata,
                     near_dup_of, contaminated, contamination_reason, run_id)
SELECT source_id, dataset, row_ref, layout, question, solution, entry_point, topic, metadata::JSON,
       near_dup_of, contamination_reason IS NOT NULL, contamination_reason, $run_id
FROM staged
ON CONFLICT DO NOTHING;
