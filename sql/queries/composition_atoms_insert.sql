-- The atoms of new compositions, one row per position.
INSERT INTO composition_atoms (composition_id, position, atom, topic, stage, role)
SELECT composition_id, position, atom, topic, stage, role FROM staged
ON CONFLICT DO NOTHING;
