-- The synthetic problems of one part of a split (every stored composition when $split is NULL), with their
-- tests: the kept ones once the problem is filtered, else all of them. Ordered by composition.
WITH chosen AS (
    SELECT c.composition_id, c.problem_id, c.depth, c.atom_sequence
    FROM compositions c
    WHERE $split IS NULL
       OR c.composition_id IN (SELECT composition_id FROM synthetic_split_members
                               WHERE split = $split AND part = $part)
),
usable AS (
    SELECT problem_id, list(code ORDER BY idx) AS tests
    FROM tests
    WHERE problem_id IN (SELECT problem_id FROM chosen) AND kept IS NOT false
    GROUP BY problem_id
)
SELECT ch.composition_id, p.problem_id, p.question, p.entry_point, p.reference, u.tests, ch.depth,
       ch.atom_sequence
FROM chosen ch
JOIN problems p USING (problem_id)
JOIN usable u USING (problem_id)
WHERE p.status <> 'dropped' AND p.status <> 'failed'
ORDER BY ch.composition_id;
