UPDATE runs SET status = $status, metrics = $metrics, finished_at = current_timestamp WHERE run_id = $run_id;
