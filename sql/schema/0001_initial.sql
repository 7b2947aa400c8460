-- The records of the pipeline. Every key is a content hash of what defines the row (acecoder.hashing),
-- so a stage that runs again inserts nothing twice. Applied once by acecoder.store; idempotent regardless.

CREATE TABLE IF NOT EXISTS runs (
    run_id        VARCHAR PRIMARY KEY,
    stage         VARCHAR NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'running',   -- running | ok | failed
    params        JSON,
    metrics       JSON,
    flow_run_id   VARCHAR,                              -- Prefect flow run, when run from a flow
    acecoder_version VARCHAR,
    started_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished_at   TIMESTAMP
);

CREATE TABLE IF NOT EXISTS sources (
    source_id     VARCHAR PRIMARY KEY,                  -- hash(normalised question, normalised code)
    dataset       VARCHAR NOT NULL,                     -- where it came from: seed, a Hub id or a file path
    row_ref       VARCHAR NOT NULL,                     -- line / row number / id inside that dataset
    layout        VARCHAR NOT NULL,                     -- the adapter that read it
    question      VARCHAR,                              -- NULL for bare-code corpora
    solution      VARCHAR NOT NULL,                     -- cleaned code
    entry_point   VARCHAR,
    topic         VARCHAR,
    metadata      JSON,
    near_dup_of   VARCHAR,                              -- kept row it nearly duplicates (row then skipped)
    contaminated  BOOLEAN NOT NULL DEFAULT false,
    contamination_reason VARCHAR,                       -- e.g. "13-gram overlap with HumanEval/12 prompt"
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS problems (
    problem_id    VARCHAR PRIMARY KEY,                  -- hash(source_id, backend, model, prompt_version)
    source_id     VARCHAR NOT NULL,
    question      VARCHAR NOT NULL,
    entry_point   VARCHAR NOT NULL,
    reference     VARCHAR,                              -- reference solution used for filtering
    origin        VARCHAR NOT NULL,                     -- llm | inferred | source | synthetic
    model         VARCHAR,                              -- LLM that wrote it, NULL for offline backends
    prompt_version VARCHAR,
    status        VARCHAR NOT NULL DEFAULT 'synthesized', -- synthesized | kept | dropped | failed
    status_reason VARCHAR,
    mutation_score DOUBLE,
    metadata      JSON,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS tests (
    test_id       VARCHAR PRIMARY KEY,                  -- hash(problem_id, code)
    problem_id    VARCHAR NOT NULL,
    idx           INTEGER NOT NULL,
    code          VARCHAR NOT NULL,
    origin        VARCHAR NOT NULL,                     -- llm | inferred | source
    kept          BOOLEAN,                              -- NULL until filtered
    drop_reason   VARCHAR,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS programs (
    program_id    VARCHAR PRIMARY KEY,                  -- hash(problem_id, code)
    problem_id    VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    policy        VARCHAR NOT NULL,                     -- model name | reference | mutant:<operator> | ...
    normalized_hash VARCHAR,                            -- hash of the AST dump, for dedup
    sample_idx    INTEGER,
    metadata      JSON,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS executions (
    program_id    VARCHAR NOT NULL,
    test_id       VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,                     -- pass | fail | error | timeout | memory | syntax | killed
    error_type    VARCHAR,
    error_line    INTEGER,
    category      VARCHAR,                              -- RLTF: global | line | ignore
    message       VARCHAR,
    duration_ms   DOUBLE,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (program_id, test_id)
);

CREATE TABLE IF NOT EXISTS pairs (
    pair_id       VARCHAR PRIMARY KEY,                  -- hash(chosen_program_id, rejected_program_id)
    problem_id    VARCHAR NOT NULL,
    chosen_program_id   VARCHAR NOT NULL,
    rejected_program_id VARCHAR NOT NULL,
    chosen_pass_rate    DOUBLE NOT NULL,
    rejected_pass_rate  DOUBLE NOT NULL,
    rule          JSON,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS llm_cache (
    cache_key     VARCHAR PRIMARY KEY,                  -- hash(model, messages, parameters)
    model         VARCHAR NOT NULL,
    request       JSON NOT NULL,
    response      JSON NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    run_id        VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Pass rate = tests passed / tests kept for the program's problem (not / tests synthesized).
-- `executed` < `kept_tests` means the program is not fully scored yet; consumers require equality.
CREATE OR REPLACE VIEW pass_rates AS
WITH kept AS (
    SELECT problem_id, count(*) AS kept_tests FROM tests WHERE kept GROUP BY problem_id
)
SELECT
    p.program_id,
    p.problem_id,
    p.policy,
    p.normalized_hash,
    k.kept_tests,
    count(t.test_id) AS executed,
    count(t.test_id) FILTER (WHERE e.status = 'pass') AS passed,
    count(t.test_id) FILTER (WHERE e.status = 'pass')::DOUBLE / k.kept_tests AS pass_rate
FROM programs p
JOIN kept k USING (problem_id)
LEFT JOIN executions e ON e.program_id = p.program_id
LEFT JOIN tests t ON t.test_id = e.test_id AND t.kept AND t.problem_id = p.problem_id
GROUP BY p.program_id, p.problem_id, p.policy, p.normalized_hash, k.kept_tests;
