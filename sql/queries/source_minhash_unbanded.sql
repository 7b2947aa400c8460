-- Signatures with no band keys under this scheme (banded for another threshold), earliest first, a batch
-- at a time; signatures of texts with no shingles (`$empty`) have no band keys under any scheme.
SELECT m.source_id, m.signature
FROM source_minhash m
WHERE m.signature <> $empty
  AND NOT EXISTS (SELECT 1 FROM source_lsh_bands b WHERE b.scheme = $scheme AND b.source_id = m.source_id)
ORDER BY m.position
LIMIT $limit;
