INSERT INTO runs (run_id, stage, params, flow_run_id, acecoder_version)
VALUES ($run_id, $stage, $params, $flow_run_id, $version);
