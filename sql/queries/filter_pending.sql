-- Synthesized problems whose tests have not been filtered yet.
SELECT problem_id, question, entry_point, reference
FROM problems
WHERE status = 'synthesized'
ORDER BY problem_id
LIMIT $limit;
