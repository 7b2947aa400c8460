-- The first $n tests of each staged problem (AceCoder shows a model the question plus its first two tests).
SELECT problem_id, idx, code
FROM tests
WHERE problem_id IN (SELECT problem_id FROM staged)
QUALIFY row_number() OVER (PARTITION BY problem_id ORDER BY idx) <= $n;
