-- Kept problems with no program yet from this policy ($policy exactly, or any policy starting $policy_prefix).
SELECT problem_id, question, entry_point, reference
FROM problems q
WHERE status = 'kept'
  AND reference IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM programs p
      WHERE p.problem_id = q.problem_id
        AND (p.policy = $policy OR coalesce(starts_with(p.policy, $policy_prefix), false))
  )
ORDER BY problem_id
LIMIT $limit;
