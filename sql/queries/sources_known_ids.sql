-- Which of the staged source ids the database already holds, and the run that stored each.
SELECT source_id, run_id FROM sources WHERE source_id IN (SELECT source_id FROM staged);
