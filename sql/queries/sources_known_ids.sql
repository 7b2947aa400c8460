-- Which of the staged source ids the database already holds.
SELECT source_id FROM sources WHERE source_id IN (SELECT source_id FROM staged);
