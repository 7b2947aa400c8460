-- Synthesized problems whose tests have not been filtered yet (with an input contract, where one was imported).
SELECT problem_id, question, entry_point, reference,
       coalesce(metadata->>'contract', '') AS contract  -- an imported benchmark task's input contract
FROM problems
WHERE status = 'synthesized'
ORDER BY problem_id
LIMIT $limit;
