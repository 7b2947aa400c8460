-- Stored sources with no MinHash signature yet (stored before the near-duplicate index existed, or with
-- near-dedup off), oldest first, a batch at a time.
SELECT s.source_id, s.question, s.solution
FROM sources s
WHERE NOT EXISTS (SELECT 1 FROM source_minhash m WHERE m.source_id = s.source_id)
ORDER BY s.created_at, s.source_id
LIMIT $limit;
