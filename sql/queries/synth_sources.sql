-- Sources that still need a problem from this backend and model: clean, not contaminated, not a near
-- duplicate, not a synthetic function (those come with their problem), and without a problem of that origin
-- and model other than a failed one.
SELECT source_id, question, solution, entry_point
FROM sources s
WHERE NOT contaminated
  AND near_dup_of IS NULL
  AND s.layout <> 'synthetic'
  AND NOT EXISTS (
      SELECT 1 FROM problems p
      WHERE p.source_id = s.source_id AND p.origin = $origin AND coalesce(p.model, '') = $model
        AND p.status <> 'failed'
  )
ORDER BY source_id
LIMIT $limit;
