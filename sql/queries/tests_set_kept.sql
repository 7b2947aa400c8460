-- Filtering verdicts from `staged` (test_id, kept, drop_reason).
UPDATE tests SET kept = s.kept, drop_reason = s.drop_reason
FROM staged s
WHERE tests.test_id = s.test_id;
