-- Problems that gained tests not yet filtered go back to the filter stage (an imported benchmark task waits
-- as 'imported' until its first tests arrive).
UPDATE problems SET status = 'synthesized', status_reason = NULL
WHERE status IN ('imported', 'kept', 'dropped')
  AND problem_id IN (SELECT DISTINCT problem_id FROM tests WHERE kept IS NULL);
