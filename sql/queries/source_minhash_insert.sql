-- Signatures of newly stored sources (`staged`: source_id, position, signature).
INSERT INTO source_minhash (source_id, position, signature)
SELECT source_id, position, signature FROM staged;
