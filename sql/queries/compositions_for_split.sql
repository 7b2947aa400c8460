-- Every stored composition with its atom sequence and topics, in a stable order.
SELECT composition_id, atom_sequence, topics FROM compositions ORDER BY composition_id;
