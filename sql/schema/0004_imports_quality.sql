-- Imported data and ground truth.
-- problems.evaluation_only: a benchmark task imported to measure against; no training export, no reward-model
-- pairs and no RL data ever contain it (export_pairs, export_rl and pairs_select exclude it).
-- ground_truth: a program's verdict on its benchmark's own tests (base and plus inputs, EvalPlus's comparison).
ALTER TABLE problems ADD COLUMN IF NOT EXISTS evaluation_only BOOLEAN DEFAULT false;

CREATE TABLE IF NOT EXISTS ground_truth (
    program_id    VARCHAR PRIMARY KEY,
    problem_id    VARCHAR NOT NULL,
    task_id       VARCHAR NOT NULL,                     -- the benchmark task, e.g. HumanEval/10
    base_passed   BOOLEAN NOT NULL,                     -- matches the canonical solution on every base input
    plus_passed   BOOLEAN,                              -- and on every plus input (NULL: the task has none)
    pass_rate     DOUBLE NOT NULL,                      -- share of the base inputs (or of HumanEval's check) passed
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
