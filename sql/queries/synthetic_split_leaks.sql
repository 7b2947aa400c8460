-- Contamination of a split's test part by its train part; no row means none. A test composition leaks when a
-- training composition has the same structure, the same sequence of atoms, or the same reference solution,
-- and a training composition leaks when it uses an atom of the held-out topic.
WITH members AS (
    SELECT m.part, c.composition_id, c.atom_sequence, s.solution
    FROM synthetic_split_members m
    JOIN compositions c USING (composition_id)
    JOIN sources s ON s.source_id = c.source_id
    WHERE m.split = $split
),
train AS (SELECT * FROM members WHERE part = 'train'),
test AS (SELECT * FROM members WHERE part = 'test')
SELECT 'same atom sequence' AS leak, tr.composition_id AS train_composition, te.composition_id AS test_composition,
       tr.atom_sequence AS detail
FROM train tr JOIN test te ON tr.atom_sequence = te.atom_sequence
UNION ALL
SELECT 'same reference solution', tr.composition_id, te.composition_id, NULL
FROM train tr JOIN test te ON tr.solution = te.solution
UNION ALL
SELECT 'in both parts', tr.composition_id, te.composition_id, NULL
FROM train tr JOIN test te ON tr.composition_id = te.composition_id
UNION ALL
SELECT 'held-out topic in train', tr.composition_id, NULL, a.atom || ' (' || a.topic || ')'
FROM train tr
JOIN composition_atoms a ON a.composition_id = tr.composition_id
JOIN synthetic_splits s ON s.split = $split
WHERE a.topic = s.held_out_topic
ORDER BY 1, 2, 3;
