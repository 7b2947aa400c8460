-- The position the next signed source takes.
SELECT coalesce(max(position) + 1, 0) AS position FROM source_minhash;
