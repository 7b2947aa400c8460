-- Which of the staged compositions are stored already.
SELECT composition_id FROM compositions WHERE composition_id IN (SELECT composition_id FROM staged);
