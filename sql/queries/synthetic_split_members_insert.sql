-- The members of a split from `staged`.
INSERT INTO synthetic_split_members (split, composition_id, part, reason)
SELECT $split, composition_id, part, reason FROM staged
ON CONFLICT DO NOTHING;
