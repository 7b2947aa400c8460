-- Stored sources sharing an LSH band key with a staged row (`staged`: band, band_key), earliest first, with
-- their signature and the kept row each stands for (itself, or the row it nearly duplicates).
SELECT m.source_id, m.position, m.signature, coalesce(s.near_dup_of, s.source_id) AS root
FROM source_minhash m
JOIN sources s USING (source_id)
WHERE m.source_id IN (
    SELECT b.source_id
    FROM source_lsh_bands b
    JOIN staged st ON b.band = st.band AND b.band_key = st.band_key
    WHERE b.scheme = $scheme
)
ORDER BY m.position;
