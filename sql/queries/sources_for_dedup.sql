-- Stored rows that new rows may nearly duplicate (rows already marked as near duplicates are not kept rows).
SELECT source_id, question, solution FROM sources WHERE near_dup_of IS NULL ORDER BY created_at, source_id;
